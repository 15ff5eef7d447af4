-- The mini-program runtime: my.setStorage's server-side storage, isolated per user x app, and the
-- device scopes (location, camera) a user granted an app. Times come from the application clock.

CREATE TABLE miniapp_storage (
  user_id     uuid        NOT NULL,
  app_id      text        NOT NULL REFERENCES miniapp_app (app_id),
  -- The key as the app gave it (1..1024 UTF-16 units, checked by the application).
  key         text        NOT NULL,
  -- The JSON text of the value; bytes is its UTF-8 length plus the key's, which count against
  -- the per-app quota.
  value       text        NOT NULL,
  bytes       integer     NOT NULL CHECK (bytes > 0),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, app_id, key)
);

CREATE TABLE miniapp_scope_grant (
  user_id     uuid        NOT NULL,
  app_id      text        NOT NULL REFERENCES miniapp_app (app_id),
  scope       text        NOT NULL CHECK (scope IN ('scope.userLocation', 'scope.camera')),
  granted_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, app_id, scope)
);

-- The bytes a user's storage holds for an app: the row every write locks, so two concurrent
-- writes cannot both pass the 10 MB check (READ COMMITTED; no advisory locks).
CREATE TABLE miniapp_storage_usage (
  user_id     uuid        NOT NULL,
  app_id      text        NOT NULL REFERENCES miniapp_app (app_id),
  bytes       bigint      NOT NULL CHECK (bytes >= 0),
  PRIMARY KEY (user_id, app_id)
);
