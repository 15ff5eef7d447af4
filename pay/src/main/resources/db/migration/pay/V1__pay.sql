-- Trades, refunds, payment and collect codes, the notification outbox. Amounts are bigint fen.
-- Times are timestamptz written from the application's clock, never now().

CREATE TABLE pay_trade (
  id               uuid        PRIMARY KEY,
  trade_no         text        NOT NULL UNIQUE,
  app_id           text,
  out_trade_no     text        NOT NULL,
  merchant_id      uuid        NOT NULL,
  kind             text        NOT NULL CHECK (kind IN ('CREATE', 'PRECREATE', 'PAYMENT_CODE', 'STATIC_COLLECT')),
  status           text        NOT NULL CHECK (status IN ('WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_FINISHED', 'TRADE_CLOSED')),
  subject          text        NOT NULL,
  body             text,
  total_amount     bigint      NOT NULL CHECK (total_amount BETWEEN 1 AND 10000000000),
  fee_rate_ppm     integer     NOT NULL CHECK (fee_rate_ppm BETWEEN 0 AND 1000000),
  fee_amount       bigint      NOT NULL,
  buyer_user_id    uuid,
  buyer_by_open_id boolean     NOT NULL,
  buyer_named      boolean     NOT NULL,
  notify_url       text,
  passback_params  text,
  timeout_express  text,
  expires_at       timestamptz NOT NULL,
  qr_token         text        UNIQUE,
  -- The payment attempt: written BEFORE the ledger is asked, so recovery can find its transfer.
  pay_attempt      integer     NOT NULL DEFAULT 0,
  pay_user_id      uuid,
  pay_transfer_id  uuid,
  fee_transfer_id  uuid,
  pay_intent_at    timestamptz,
  receipt_amount   bigint      NOT NULL DEFAULT 0,
  refund_amount    bigint      NOT NULL DEFAULT 0,
  fee_refunded     bigint      NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL,
  paid_at          timestamptz,
  closed_at        timestamptz,
  finished_at      timestamptz,
  close_reason     text,
  CHECK (fee_amount BETWEEN 0 AND total_amount),
  CHECK (receipt_amount IN (0, total_amount)),
  CHECK ((paid_at IS NULL) = (receipt_amount = 0)),
  CHECK (paid_at IS NULL OR (pay_transfer_id IS NOT NULL AND buyer_user_id IS NOT NULL)),
  CHECK (status NOT IN ('TRADE_SUCCESS', 'TRADE_FINISHED') OR paid_at IS NOT NULL),
  CHECK (status <> 'WAIT_BUYER_PAY' OR paid_at IS NULL),
  CHECK (refund_amount BETWEEN 0 AND receipt_amount),
  CHECK (fee_refunded BETWEEN 0 AND fee_amount),
  CHECK (status <> 'TRADE_CLOSED' OR paid_at IS NULL OR refund_amount = receipt_amount)
);
-- out_trade_no is unique per app; static collect trades (no app) per merchant.
CREATE UNIQUE INDEX pay_trade_app_out_trade_no ON pay_trade (app_id, out_trade_no) WHERE app_id IS NOT NULL;
CREATE UNIQUE INDEX pay_trade_collect_out_trade_no ON pay_trade (merchant_id, out_trade_no) WHERE app_id IS NULL;
-- The sweeper's and recovery's work lists.
CREATE INDEX pay_trade_unpaid_expiry ON pay_trade (expires_at) WHERE status = 'WAIT_BUYER_PAY';
CREATE INDEX pay_trade_in_flight ON pay_trade (pay_intent_at) WHERE status = 'WAIT_BUYER_PAY' AND pay_transfer_id IS NOT NULL;
CREATE INDEX pay_trade_success_paid ON pay_trade (paid_at) WHERE status = 'TRADE_SUCCESS';
CREATE INDEX pay_trade_buyer_paid ON pay_trade (buyer_user_id, paid_at) WHERE paid_at IS NOT NULL;

CREATE TABLE pay_refund (
  id                      uuid        PRIMARY KEY,
  trade_no                text        NOT NULL REFERENCES pay_trade (trade_no),
  out_request_no          text        NOT NULL,
  amount                  bigint      NOT NULL CHECK (amount > 0),
  fee_refund              bigint      NOT NULL CHECK (fee_refund >= 0),
  reason                  text,
  status                  text        NOT NULL CHECK (status IN ('PROCESSING', 'SUCCESS', 'FAILED')),
  attempt                 integer     NOT NULL CHECK (attempt >= 1),
  refund_transfer_id      uuid        NOT NULL,
  fee_refund_transfer_id  uuid,
  attempt_at              timestamptz NOT NULL,
  created_at              timestamptz NOT NULL,
  refunded_at             timestamptz,
  failure                 text,
  UNIQUE (trade_no, out_request_no),
  CHECK ((status = 'SUCCESS') = (refunded_at IS NOT NULL))
);
CREATE INDEX pay_refund_processing ON pay_refund (attempt_at) WHERE status = 'PROCESSING';

-- One-time payment codes: only a SHA-256 of the 18 digits is kept.
CREATE TABLE pay_payment_code (
  code_hash   bytea       PRIMARY KEY,
  user_id     uuid        NOT NULL,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX pay_payment_code_expiry ON pay_payment_code (expires_at);

-- A street merchant's static collect-money code.
CREATE TABLE pay_collect_code (
  token        text        PRIMARY KEY,
  merchant_id  uuid        NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL
);

-- The outbox: one row per notification, written in the transaction of the state change it tells.
CREATE TABLE pay_notification (
  id               uuid        PRIMARY KEY,
  notify_id        text        NOT NULL UNIQUE,
  -- What it tells, unique so a state change can never enqueue its notification twice:
  -- <trade_no>:paid, <trade_no>:closed, <trade_no>:finished, <trade_no>:refund:<out_request_no>.
  event_key        text        NOT NULL UNIQUE,
  trade_no         text        NOT NULL,
  app_id           text,
  notify_url       text        NOT NULL,
  -- The form fields, application/x-www-form-urlencoded (UTF-8), without notify_time and sign.
  fields           text        NOT NULL,
  created_at       timestamptz NOT NULL,
  next_attempt_at  timestamptz NOT NULL,
  attempts         integer     NOT NULL DEFAULT 0,
  lease_until      timestamptz,
  lease_token      uuid,
  delivered_at     timestamptz,
  gave_up_at       timestamptz
);
CREATE INDEX pay_notification_due ON pay_notification (next_attempt_at)
  WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX pay_notification_trade ON pay_notification (trade_no);

CREATE TABLE pay_notification_attempt (
  id               uuid        PRIMARY KEY,
  notification_id  uuid        NOT NULL REFERENCES pay_notification (id),
  attempt          integer     NOT NULL,
  attempted_at     timestamptz NOT NULL,
  outcome          text        NOT NULL CHECK (outcome IN ('DELIVERED', 'REJECTED', 'FAILED')),
  -- The first 256 characters of the response body, or of the error for FAILED.
  excerpt          text
);
CREATE INDEX pay_notification_attempt_of ON pay_notification_attempt (notification_id, attempt);
