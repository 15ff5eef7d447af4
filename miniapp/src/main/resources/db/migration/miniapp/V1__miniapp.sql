-- Mini-programs: apps, versions and their lifecycle, package files, per-user lists, quality
-- signals. Times are timestamptz written from the application's clock, never now().
-- App ids are text (16 digits when generated), so the gateway's app_id and the content origin's
-- host label (<appId>.apps.localhost) can both be the same string.

CREATE TABLE miniapp_app (
  app_id           text        PRIMARY KEY,
  merchant_id      uuid        NOT NULL,
  kind             text        NOT NULL CHECK (kind IN ('APP', 'TEMPLATE', 'INSTANCE')),
  name             text        NOT NULL,
  description      text        NOT NULL,
  category         text        NOT NULL,
  -- A JSON array of strings.
  keywords         jsonb       NOT NULL,
  city             text        NOT NULL,
  icon_path        text,
  -- Instances: the template app they are made from (the version is per version row).
  template_app_id  text        REFERENCES miniapp_app (app_id),
  status           text        NOT NULL CHECK (status IN ('DEVELOPING', 'ONLINE', 'OFFLINE')),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  CHECK ((kind = 'INSTANCE') = (template_app_id IS NOT NULL))
);
CREATE INDEX miniapp_app_merchant ON miniapp_app (merchant_id);
CREATE INDEX miniapp_app_template ON miniapp_app (template_app_id) WHERE template_app_id IS NOT NULL;
CREATE INDEX miniapp_app_online ON miniapp_app (app_id) WHERE status = 'ONLINE';

CREATE TABLE miniapp_version (
  app_id             text        NOT NULL REFERENCES miniapp_app (app_id),
  -- X.Y.Z, and its parts for ordering: strictly increasing per app.
  version            text        NOT NULL,
  major              integer     NOT NULL CHECK (major >= 0),
  minor              integer     NOT NULL CHECK (minor >= 0),
  patch              integer     NOT NULL CHECK (patch >= 0),
  state              text        NOT NULL CHECK (state IN ('DEVELOP', 'TRIAL', 'AUDITING',
                       'APPROVED', 'REJECTED', 'GRAY', 'ONLINE', 'ROLLBACK', 'OFFLINE')),
  app_json           jsonb       NOT NULL,
  -- Templates: the JSON Schema of an instance's ext (from ext.schema.json).
  ext_schema         jsonb,
  -- Instances: the template version whose code this version runs, and the instance's ext.
  template_app_id    text,
  template_version   text,
  ext                jsonb,
  main_bytes         bigint      NOT NULL CHECK (main_bytes >= 0),
  total_bytes        bigint      NOT NULL CHECK (total_bytes >= main_bytes),
  file_count         integer     NOT NULL CHECK (file_count >= 0),
  gray_percent       integer     CHECK (gray_percent BETWEEN 1 AND 99),
  audit_description  text,
  audit_category     text,
  -- A JSON array of screenshot paths or URLs.
  audit_screenshots  jsonb,
  -- A JSON array of {file, rule, reason}: the operator's findings when rejected.
  findings           jsonb,
  -- Set when review passes (instances inherit their template version's).
  approved_at        timestamptz,
  -- The last time this version went online: rollback returns to the latest before the current.
  online_at          timestamptz,
  created_by         text        NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (app_id, version),
  UNIQUE (app_id, major, minor, patch),
  CHECK ((state = 'GRAY') = (gray_percent IS NOT NULL)),
  FOREIGN KEY (template_app_id, template_version) REFERENCES miniapp_version (app_id, version)
);
-- One version per app in each of the single slots of the lifecycle.
CREATE UNIQUE INDEX miniapp_version_one_trial ON miniapp_version (app_id) WHERE state = 'TRIAL';
CREATE UNIQUE INDEX miniapp_version_one_auditing ON miniapp_version (app_id) WHERE state = 'AUDITING';
CREATE UNIQUE INDEX miniapp_version_one_gray ON miniapp_version (app_id) WHERE state = 'GRAY';
CREATE UNIQUE INDEX miniapp_version_one_online ON miniapp_version (app_id) WHERE state = 'ONLINE';
-- The operators' review queue, oldest submission first.
CREATE INDEX miniapp_version_review ON miniapp_version (updated_at) WHERE state = 'AUDITING';
CREATE INDEX miniapp_version_template ON miniapp_version (template_app_id, template_version)
  WHERE template_app_id IS NOT NULL;

CREATE TABLE miniapp_version_tester (
  app_id   text NOT NULL,
  version  text NOT NULL,
  user_id  uuid NOT NULL,
  PRIMARY KEY (app_id, version, user_id),
  FOREIGN KEY (app_id, version) REFERENCES miniapp_version (app_id, version)
);

-- Every lifecycle step, append-only: nothing in the code updates or deletes these rows.
CREATE TABLE miniapp_version_transition (
  app_id      text        NOT NULL,
  version     text        NOT NULL,
  -- 1, 2, 3... per version; the (app, version) row lock taken by the state change orders them.
  ordinal     integer     NOT NULL CHECK (ordinal > 0),
  from_state  text,
  to_state    text        NOT NULL,
  actor       text        NOT NULL,
  note        text        NOT NULL,
  at          timestamptz NOT NULL,
  PRIMARY KEY (app_id, version, ordinal),
  FOREIGN KEY (app_id, version) REFERENCES miniapp_version (app_id, version)
);

-- The files of each version; the bytes are in the content store under their SHA-256.
CREATE TABLE miniapp_file (
  app_id        text    NOT NULL,
  version       text    NOT NULL,
  path          text    NOT NULL,
  sha256        text    NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes    bigint  NOT NULL CHECK (size_bytes >= 0),
  content_type  text    NOT NULL,
  PRIMARY KEY (app_id, version, path),
  FOREIGN KEY (app_id, version) REFERENCES miniapp_version (app_id, version)
);
CREATE INDEX miniapp_file_sha256 ON miniapp_file (sha256);

-- Quality signals for discovery ranking.
CREATE TABLE miniapp_app_stats (
  app_id         text   PRIMARY KEY REFERENCES miniapp_app (app_id),
  opens          bigint NOT NULL DEFAULT 0 CHECK (opens >= 0),
  pay_attempts   bigint NOT NULL DEFAULT 0 CHECK (pay_attempts >= 0),
  pay_successes  bigint NOT NULL DEFAULT 0 CHECK (pay_successes BETWEEN 0 AND pay_attempts)
);

CREATE TABLE miniapp_rating (
  app_id    text        NOT NULL REFERENCES miniapp_app (app_id),
  user_id   uuid        NOT NULL,
  stars     integer     NOT NULL CHECK (stars BETWEEN 1 AND 5),
  rated_at  timestamptz NOT NULL,
  PRIMARY KEY (app_id, user_id)
);

CREATE TABLE miniapp_recent (
  user_id  uuid        NOT NULL,
  app_id   text        NOT NULL REFERENCES miniapp_app (app_id),
  used_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, app_id)
);
CREATE INDEX miniapp_recent_by_time ON miniapp_recent (user_id, used_at DESC);

CREATE TABLE miniapp_favorite (
  user_id     uuid        NOT NULL,
  app_id      text        NOT NULL REFERENCES miniapp_app (app_id),
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, app_id)
);
CREATE INDEX miniapp_favorite_by_time ON miniapp_favorite (user_id, created_at DESC);
