-- Login sessions of the web shell (USER), the merchant portal (MERCHANT_STAFF) and the operator
-- console (OPERATOR). The session id itself (256 random bits, in an HttpOnly cookie) is never
-- stored: only its SHA-256, so a read-out of this table cannot be replayed as a cookie.
CREATE TABLE identity_session (
  id_hash        bytea       PRIMARY KEY,
  role           text        NOT NULL CHECK (role IN ('USER', 'MERCHANT_STAFF', 'OPERATOR')),
  -- A user id for USER; the merchant portal and console decide what theirs name.
  principal_id   uuid        NOT NULL,
  created_at     timestamptz NOT NULL,
  -- Touched at most once a minute (Sessions.TOUCH_INTERVAL), to keep reads from becoming writes.
  last_seen_at   timestamptz NOT NULL,
  -- The absolute end, whatever the activity.
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX identity_session_principal ON identity_session (principal_id, role);
CREATE INDEX identity_session_expiry ON identity_session (expires_at);
