-- Street merchants: self-onboarding data, tier and limits, the settlement bank account, staff
-- logins, and the operators' append-only audit log. Times come from the application's clock.

ALTER TABLE identity_merchant
  ADD COLUMN city               text,
  ADD COLUMN contact_phone      text,
  -- MICRO: self-onboarded, limited per payment and per GMT+8 day; STANDARD: set by an operator.
  ADD COLUMN tier               text   NOT NULL DEFAULT 'STANDARD' CHECK (tier IN ('MICRO', 'STANDARD')),
  -- NULL: no limit. Fen.
  ADD COLUMN payment_limit_fen  bigint CHECK (payment_limit_fen > 0),
  ADD COLUMN day_limit_fen      bigint CHECK (day_limit_fen > 0),
  -- Where payouts go: through the (simulated) funding channel named in bank_channel.
  ADD COLUMN bank_holder        text,
  ADD COLUMN bank_account_no    text,
  ADD COLUMN bank_channel       text;

CREATE INDEX identity_merchant_name ON identity_merchant (lower(name));

-- People who log in to the merchant portal for a merchant. Only bcrypt hashes are kept.
CREATE TABLE identity_merchant_staff (
  id               uuid        PRIMARY KEY,
  merchant_id      uuid        NOT NULL REFERENCES identity_merchant (id),
  -- E.164 phone number, the login name.
  login            text        NOT NULL UNIQUE,
  password_hash    text        NOT NULL,
  role             text        NOT NULL CHECK (role IN ('OWNER', 'CASHIER')),
  -- Login lockout, like the payment PIN's: wrong passwords in a row and the lock's end.
  failed_count     integer     NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
  locked_until     timestamptz,
  created_at       timestamptz NOT NULL
);
CREATE INDEX identity_merchant_staff_of ON identity_merchant_staff (merchant_id);

-- Every operator action, append-only: the trigger below refuses UPDATE, DELETE and TRUNCATE,
-- so not even a bug (or an operator with the application's database role) can rewrite history.
CREATE TABLE identity_audit_log (
  id         uuid        PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor      text        NOT NULL,
  action     text        NOT NULL,
  target     text        NOT NULL,
  detail     text        NOT NULL
);
CREATE INDEX identity_audit_log_at ON identity_audit_log (at DESC, id DESC);
CREATE INDEX identity_audit_log_target ON identity_audit_log (target, at DESC);

CREATE FUNCTION identity_audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'identity_audit_log is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER identity_audit_log_no_update_delete BEFORE UPDATE OR DELETE ON identity_audit_log
  FOR EACH ROW EXECUTE FUNCTION identity_audit_log_is_append_only();
CREATE TRIGGER identity_audit_log_no_truncate BEFORE TRUNCATE ON identity_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION identity_audit_log_is_append_only();
