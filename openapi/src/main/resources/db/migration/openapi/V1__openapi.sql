-- Open platform: registered apps, OAuth consents, authorization codes and tokens.
-- Times are timestamptz written from the application's clock (tests inject one), never now().
-- No foreign keys to other modules' tables (merchants, users): the code checks them, so that a
-- distributed engine may place these rows apart from identity's.

CREATE TABLE openapi_app (
  -- 16 digits like Alipay's (2021000000000001): the GMT+8 year of registration, then 12 random
  -- digits. Never a sequence: it must not reveal how many apps exist, nor need a global counter.
  app_id         text        PRIMARY KEY CHECK (app_id ~ '^[0-9]{16}$'),
  merchant_id    uuid        NOT NULL,
  name           text        NOT NULL,
  -- The app's RSA public key as registered: base64 of the X.509 SubjectPublicKeyInfo DER.
  public_key     text        NOT NULL,
  sign_type      text        NOT NULL CHECK (sign_type IN ('RSA2', 'RSA')),
  -- Where notifications go when a request names no notify_url; NULL: nowhere.
  notify_url     text,
  -- The charset of the app's latest trade-creating request: its notifications are sent in it.
  charset        text        NOT NULL DEFAULT 'UTF-8' CHECK (charset IN ('UTF-8', 'GBK')),
  status         text        NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX openapi_app_merchant ON openapi_app (merchant_id);

-- What a user agreed to share with an app (the consent sheet); scopes space-separated, sorted.
CREATE TABLE openapi_consent (
  app_id      text        NOT NULL,
  user_id     uuid        NOT NULL,
  scopes      text        NOT NULL,
  granted_at  timestamptz NOT NULL,
  PRIMARY KEY (app_id, user_id)
);

-- my.getAuthCode's codes: single use, short-lived; only SHA-256 of the code is kept.
CREATE TABLE openapi_oauth_code (
  code_hash   bytea       PRIMARY KEY,
  app_id      text        NOT NULL,
  user_id     uuid        NOT NULL,
  scopes      text        NOT NULL,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX openapi_oauth_code_expiry ON openapi_oauth_code (expires_at);

-- One access token and its refresh token (only their SHA-256 hashes). Refreshing spends the
-- refresh token (refreshed_at) and ends the pair's access token; a new grant row carries on, with
-- the same auth_start. Revoking a consent revokes every grant of the pair (app, user).
CREATE TABLE openapi_oauth_grant (
  id                  uuid        PRIMARY KEY,
  app_id              text        NOT NULL,
  user_id             uuid        NOT NULL,
  scopes              text        NOT NULL,
  access_hash         bytea       NOT NULL UNIQUE,
  access_expires_at   timestamptz NOT NULL,
  refresh_hash        bytea       NOT NULL UNIQUE,
  refresh_expires_at  timestamptz NOT NULL,
  -- When the user authorized (the code's issue time), kept across refreshes: Alipay's auth_start.
  auth_start          timestamptz NOT NULL,
  created_at          timestamptz NOT NULL,
  refreshed_at        timestamptz,
  revoked_at          timestamptz
);
CREATE INDEX openapi_oauth_grant_pair ON openapi_oauth_grant (app_id, user_id);
CREATE INDEX openapi_oauth_grant_expiry ON openapi_oauth_grant (refresh_expires_at);
