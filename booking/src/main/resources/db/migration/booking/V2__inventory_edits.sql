-- Merchants edit and remove inventory (issue #6, docs/booking.md "Changing inventory").
-- Units are closed, never deleted: a released or cancelled reservation still names its units
-- (booking_reservation_unit), and a closed slot can be opened again by "Open slots".
-- A claim is only ever taken on an open unit (ReservationStore.claim), and a unit is closed only
-- while no claim names it (InventoryEdits, under a row lock on the unit).
ALTER TABLE booking_unit ADD COLUMN closed_at timestamptz;
ALTER TABLE booking_showtime ADD COLUMN removed_at timestamptz;
ALTER TABLE booking_listing ADD COLUMN withdrawn_at timestamptz;
