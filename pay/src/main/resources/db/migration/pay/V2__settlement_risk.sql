-- Settlement (statements, T+1 sweeps) and risk control (rules, events, blocked payments).

-- A merchant's payments by time: statements, day limits, the settlement sweep, the dashboard.
CREATE INDEX pay_trade_merchant_paid ON pay_trade (merchant_id, paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX pay_refund_refunded ON pay_refund (refunded_at) WHERE status = 'SUCCESS';

-- Operator-set risk rules by name (see Risk.Rules); a missing row means the documented default.
CREATE TABLE pay_risk_rule (
  name        text        PRIMARY KEY,
  value       bigint      NOT NULL CHECK (value >= 0),
  updated_at  timestamptz NOT NULL
);

-- What velocity rules count: wrong payment PINs per user.
CREATE TABLE pay_risk_event (
  id       uuid        PRIMARY KEY,
  user_id  uuid        NOT NULL,
  kind     text        NOT NULL CHECK (kind IN ('PIN_WRONG')),
  at       timestamptz NOT NULL
);
CREATE INDEX pay_risk_event_user ON pay_risk_event (user_id, kind, at);

-- Payments refused by risk control, with the rule and a reason an operator can read.
CREATE TABLE pay_blocked_payment (
  id           uuid        PRIMARY KEY,
  at           timestamptz NOT NULL,
  trade_no     text        NOT NULL,
  merchant_id  uuid        NOT NULL,
  user_id      uuid        NOT NULL,
  amount       bigint      NOT NULL,
  rule         text        NOT NULL,
  reason       text        NOT NULL
);
CREATE INDEX pay_blocked_payment_at ON pay_blocked_payment (at DESC);
CREATE INDEX pay_blocked_payment_merchant ON pay_blocked_payment (merchant_id, at DESC);

-- The merchant portal's trade list (newest first) and its live feed of payments.
CREATE INDEX pay_trade_merchant_created ON pay_trade (merchant_id, created_at DESC, id DESC);
