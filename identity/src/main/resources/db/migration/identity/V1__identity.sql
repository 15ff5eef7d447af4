-- Identity: users, payment PIN guard, merchants, per-app open_ids, funding operations.
-- Times are timestamptz written from the application's clock (tests inject one), never now().

CREATE TABLE identity_user (
  id                 uuid        PRIMARY KEY,
  -- E.164 form, e.g. +8613812345678 (see Phones).
  phone              text        NOT NULL UNIQUE,
  -- bcrypt strings ($2a$...), never the secrets themselves.
  password_hash      text        NOT NULL,
  pin_hash           text        NOT NULL,
  nickname           text        NOT NULL,
  status             text        NOT NULL CHECK (status IN ('ACTIVE', 'FROZEN')),
  -- The user's wallet on the ledger (code 1, debits must not exceed credits, history).
  wallet_account_id  uuid        NOT NULL UNIQUE,
  -- Payment PIN lockout: wrong PINs since the last correct one or lock, and the lock's end.
  pin_failed_count   integer     NOT NULL DEFAULT 0 CHECK (pin_failed_count >= 0),
  pin_locked_until   timestamptz,
  created_at         timestamptz NOT NULL
);

CREATE TABLE identity_merchant (
  id                     uuid        PRIMARY KEY,
  name                   text        NOT NULL,
  category               text        NOT NULL,
  -- Parts per million of the paid amount: 0.6% is 6000. Never a floating-point number.
  fee_rate_ppm           integer     NOT NULL CHECK (fee_rate_ppm BETWEEN 0 AND 1000000),
  status                 text        NOT NULL CHECK (status IN ('ACTIVE', 'FROZEN')),
  -- The merchant's settlement account on the ledger (code 2, debits must not exceed credits).
  settlement_account_id  uuid        NOT NULL UNIQUE,
  created_at             timestamptz NOT NULL
);

-- A user's identity as one app sees it: random, stable per (app, user), different per app.
CREATE TABLE identity_open_id (
  app_id      text        NOT NULL,
  user_id     uuid        NOT NULL REFERENCES identity_user (id),
  open_id     text        NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (app_id, user_id)
);

-- Money in from a bank card (TOP_UP) or out to a merchant's bank account (PAYOUT) through a
-- FundingChannel. id is the ledger transfer's id, derived from (kind, owner, request_id).
CREATE TABLE identity_funding_operation (
  id            uuid        PRIMARY KEY,
  kind          text        NOT NULL CHECK (kind IN ('TOP_UP', 'PAYOUT')),
  owner_id      uuid        NOT NULL,
  request_id    text        NOT NULL,
  amount        bigint      NOT NULL CHECK (amount > 0),
  channel       text        NOT NULL,
  simulated     boolean     NOT NULL,
  status        text        NOT NULL CHECK (status IN ('PROCESSING', 'SUCCESS', 'FAILED')),
  failure       text,
  created_at    timestamptz NOT NULL,
  completed_at  timestamptz,
  UNIQUE (kind, owner_id, request_id)
);
