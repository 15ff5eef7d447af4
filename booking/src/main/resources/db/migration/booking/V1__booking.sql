-- The booking engine (docs/booking.md). Inventory is a set of bookable units (a seat at a
-- showtime, a table at a time slot, an agent's viewing slot); a unit is taken exactly when a row
-- in booking_claim names it, and booking_claim's primary key is what makes double booking
-- impossible under any concurrency.

CREATE TABLE booking_venue (
  id                 uuid PRIMARY KEY,
  app_id             text NOT NULL UNIQUE,
  merchant_id        uuid NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('CINEMA', 'RESTAURANT', 'PROPERTY')),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  cancel_free_hours  int NOT NULL CHECK (cancel_free_hours BETWEEN 0 AND 720),
  cancel_fee_percent int NOT NULL CHECK (cancel_fee_percent BETWEEN 0 AND 100),
  hold_minutes       int NOT NULL CHECK (hold_minutes BETWEEN 1 AND 60),
  prepay_per_person  bigint NOT NULL DEFAULT 0 CHECK (prepay_per_person >= 0),
  party_min          int NOT NULL DEFAULT 1 CHECK (party_min >= 1),
  party_max          int NOT NULL DEFAULT 1 CHECK (party_max >= party_min AND party_max <= 50),
  days_ahead         int NOT NULL DEFAULT 14 CHECK (days_ahead BETWEEN 1 AND 90),
  deposit_days       int NOT NULL DEFAULT 14 CHECK (deposit_days BETWEEN 1 AND 90),
  created_at         timestamptz NOT NULL
);

CREATE TABLE booking_hall (
  id       uuid PRIMARY KEY,
  venue_id uuid NOT NULL REFERENCES booking_venue (id),
  name     text NOT NULL,
  layout   jsonb NOT NULL,
  UNIQUE (venue_id, name)
);

-- What is booked: a seat of a hall, a restaurant table, an estate agent.
CREATE TABLE booking_resource (
  id         uuid PRIMARY KEY,
  venue_id   uuid NOT NULL REFERENCES booking_venue (id),
  kind       text NOT NULL CHECK (kind IN ('SEAT', 'TABLE', 'AGENT')),
  hall_id    uuid REFERENCES booking_hall (id),
  label      text NOT NULL,
  seat_row   int,
  seat_col   int,
  seat_class text,
  capacity   int NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 50),
  CHECK ((kind = 'SEAT') = (hall_id IS NOT NULL))
);
CREATE UNIQUE INDEX booking_resource_seat ON booking_resource (hall_id, label) WHERE hall_id IS NOT NULL;
CREATE UNIQUE INDEX booking_resource_other ON booking_resource (venue_id, kind, label) WHERE hall_id IS NULL;

CREATE TABLE booking_showtime (
  id        uuid PRIMARY KEY,
  venue_id  uuid NOT NULL REFERENCES booking_venue (id),
  hall_id   uuid NOT NULL REFERENCES booking_hall (id),
  film      text NOT NULL,
  minutes   int NOT NULL CHECK (minutes BETWEEN 1 AND 600),
  starts_at timestamptz NOT NULL,
  prices    jsonb NOT NULL,
  UNIQUE (hall_id, starts_at)
);

CREATE TABLE booking_listing (
  id          uuid PRIMARY KEY,
  venue_id    uuid NOT NULL REFERENCES booking_venue (id),
  title       text NOT NULL,
  address     text NOT NULL,
  district    text NOT NULL,
  deal        text NOT NULL CHECK (deal IN ('RENT', 'SALE')),
  price_fen   bigint NOT NULL CHECK (price_fen > 0),
  area_m2     int NOT NULL CHECK (area_m2 > 0),
  bedrooms    int NOT NULL CHECK (bedrooms >= 0),
  features    jsonb NOT NULL,
  photos      jsonb NOT NULL,
  deposit_fen bigint NOT NULL CHECK (deposit_fen >= 0),
  created_at  timestamptz NOT NULL
);

CREATE TABLE booking_unit (
  id          uuid PRIMARY KEY,
  venue_id    uuid NOT NULL REFERENCES booking_venue (id),
  resource_id uuid NOT NULL REFERENCES booking_resource (id),
  showtime_id uuid REFERENCES booking_showtime (id),
  starts_at   timestamptz NOT NULL,
  minutes     int NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  price_fen   bigint NOT NULL CHECK (price_fen >= 0),
  -- One unit per resource and start: a seat can not be sold twice for one showtime by
  -- creating the showtime twice either.
  UNIQUE (resource_id, starts_at)
);
CREATE INDEX booking_unit_showtime ON booking_unit (showtime_id) WHERE showtime_id IS NOT NULL;
CREATE INDEX booking_unit_venue_start ON booking_unit (venue_id, starts_at);

-- A reservation is a hold (HELD) until it is paid, then a booking (CONFIRMED).
CREATE TABLE booking_reservation (
  id              uuid PRIMARY KEY,
  venue_id        uuid NOT NULL REFERENCES booking_venue (id),
  app_id          text NOT NULL,
  user_id         uuid NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('SEATS', 'TABLE', 'VIEWING', 'DEPOSIT')),
  request_id      text NOT NULL,
  status          text NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'RELEASED', 'CANCELLED', 'COMPLETED')),
  amount_fen      bigint NOT NULL CHECK (amount_fen >= 0),
  party_size      int NOT NULL DEFAULT 1,
  listing_id      uuid REFERENCES booking_listing (id),
  starts_at       timestamptz NOT NULL,
  summary         text NOT NULL,
  out_trade_no    text NOT NULL,
  trade_no        text,
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  confirmed_at    timestamptz,
  ended_at        timestamptz,
  end_reason      text,
  refund_fen      bigint NOT NULL DEFAULT 0 CHECK (refund_fen >= 0 AND refund_fen <= amount_fen),
  refund_status   text NOT NULL DEFAULT 'NONE' CHECK (refund_status IN ('NONE', 'PENDING', 'DONE')),
  deposit_transfer_id uuid,
  deposit_end_transfer_id uuid,
  -- When the jobs last compared this hold with its trade (they take the least recently checked).
  checked_at      timestamptz,
  deposit_status  text CHECK (deposit_status IN ('SUBMITTING', 'PENDING', 'POSTING', 'POSTED', 'VOIDING', 'VOIDED', 'EXPIRED', 'FAILED')),
  UNIQUE (app_id, user_id, request_id),
  UNIQUE (app_id, out_trade_no)
);
CREATE INDEX booking_reservation_open ON booking_reservation (expires_at) WHERE status = 'HELD';
CREATE INDEX booking_reservation_user ON booking_reservation (app_id, user_id, created_at);
CREATE INDEX booking_reservation_venue ON booking_reservation (venue_id, created_at);
CREATE INDEX booking_reservation_deposit ON booking_reservation (deposit_status)
  WHERE deposit_status IN ('SUBMITTING', 'PENDING', 'POSTING', 'VOIDING');
-- At most one tenant's deposit in escrow per listing.
CREATE UNIQUE INDEX booking_reservation_one_deposit ON booking_reservation (listing_id)
  WHERE kind = 'DEPOSIT' AND status IN ('HELD', 'CONFIRMED');

CREATE TABLE booking_reservation_unit (
  reservation_id uuid NOT NULL REFERENCES booking_reservation (id),
  unit_id        uuid NOT NULL REFERENCES booking_unit (id),
  price_fen      bigint NOT NULL,
  PRIMARY KEY (reservation_id, unit_id)
);

-- The live claim on a unit: present exactly while its reservation is HELD, CONFIRMED or COMPLETED.
CREATE TABLE booking_claim (
  unit_id        uuid PRIMARY KEY REFERENCES booking_unit (id),
  reservation_id uuid NOT NULL REFERENCES booking_reservation (id)
);
CREATE INDEX booking_claim_reservation ON booking_claim (reservation_id);

-- A mini-program's session for one user, from an OAuth code the bridge handed it.
CREATE TABLE booking_session (
  token_hash bytea PRIMARY KEY,
  app_id     text NOT NULL,
  user_id    uuid NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX booking_session_expiry ON booking_session (expires_at);
