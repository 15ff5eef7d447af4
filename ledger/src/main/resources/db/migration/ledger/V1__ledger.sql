-- The ledger's system of record. Only the ledger's single writer inserts or updates these rows;
-- everything else reads. Money is bigint minor units (fen). Timestamps are ledger nanoseconds.

CREATE TABLE ledger_account (
  id              uuid     PRIMARY KEY,
  ledger          integer  NOT NULL CHECK (ledger > 0),
  code            integer  NOT NULL CHECK (code > 0),
  flags           integer  NOT NULL,
  debits_pending  bigint   NOT NULL CHECK (debits_pending >= 0),
  debits_posted   bigint   NOT NULL CHECK (debits_posted >= 0),
  credits_pending bigint   NOT NULL CHECK (credits_pending >= 0),
  credits_posted  bigint   NOT NULL CHECK (credits_posted >= 0),
  user_data_128   uuid     NOT NULL,
  user_data_64    bigint   NOT NULL,
  user_data_32    integer  NOT NULL,
  timestamp       bigint   NOT NULL UNIQUE,
  -- Flag 2: debits_must_not_exceed_credits; flag 4: credits_must_not_exceed_debits. The writer
  -- enforces these; the database checks them again so that no bug can commit a violation.
  CONSTRAINT debits_within_credits CHECK (
    flags & 2 = 0 OR debits_pending + debits_posted <= credits_posted),
  CONSTRAINT credits_within_debits CHECK (
    flags & 4 = 0 OR credits_pending + credits_posted <= debits_posted)
);

-- Immutable. No foreign keys to ledger_account: the writer validates accounts in memory, and a
-- foreign key would cost two index probes per inserted row on the hot path.
CREATE TABLE ledger_transfer (
  id                uuid     PRIMARY KEY,
  debit_account_id  uuid     NOT NULL,
  credit_account_id uuid     NOT NULL,
  amount            bigint   NOT NULL CHECK (amount >= 0),
  pending_id        uuid     NOT NULL,
  user_data_128     uuid     NOT NULL,
  user_data_64      bigint   NOT NULL,
  user_data_32      integer  NOT NULL,
  timeout           integer  NOT NULL CHECK (timeout >= 0),
  ledger            integer  NOT NULL,
  code              integer  NOT NULL,
  flags             integer  NOT NULL,
  timestamp         bigint   NOT NULL
);
CREATE INDEX ledger_transfer_debit ON ledger_transfer (debit_account_id, timestamp);
CREATE INDEX ledger_transfer_credit ON ledger_transfer (credit_account_id, timestamp);

-- Where each pending transfer stands: 1 pending, 2 posted, 3 voided, 4 expired.
CREATE TABLE ledger_pending (
  id          uuid     PRIMARY KEY,
  status      smallint NOT NULL CHECK (status BETWEEN 1 AND 4),
  expires_at  bigint   NOT NULL
);
CREATE INDEX ledger_pending_open ON ledger_pending (id) WHERE status = 1;

-- Ids that failed for a reason that depended on the ledger's state; they can never succeed later.
CREATE TABLE ledger_transfer_failed (
  id        uuid     PRIMARY KEY,
  result    text     NOT NULL,
  timestamp bigint   NOT NULL
);

-- Balance snapshots after each transfer, for accounts with the history flag (8).
CREATE TABLE ledger_account_balance (
  account_id      uuid   NOT NULL,
  timestamp       bigint NOT NULL,
  debits_pending  bigint NOT NULL,
  debits_posted   bigint NOT NULL,
  credits_pending bigint NOT NULL,
  credits_posted  bigint NOT NULL,
  PRIMARY KEY (account_id, timestamp)
);
