package dev.hutong.booking;

/** Why the booking engine refused a request; the HTTP layer maps each to a status. */
public enum BookingError {
  /** A field is missing, malformed or out of its bounds; nothing changed. */
  INVALID_ARGUMENT,
  /** No such venue, unit, listing or reservation (for this app and user). */
  NOT_FOUND,
  /** Someone else holds or booked it (or it is sold out): pick another. */
  UNAVAILABLE,
  /** The reservation is not in a state that allows this (e.g. cancelling a released hold). */
  WRONG_STATE,
  /** The wallet can not cover it. */
  BALANCE_NOT_ENOUGH,
  /** The payment PIN was wrong or is locked. */
  PIN_REJECTED,
  /** The payments core or the ledger did not answer; retry with the same request id. */
  UNAVAILABLE_BACKEND
}
