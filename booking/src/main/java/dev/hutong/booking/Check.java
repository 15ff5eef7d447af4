package dev.hutong.booking;

/** Bounds on inputs; each failure names the field and what is allowed. */
final class Check {
  private Check() {}

  static String text(String field, String value, int charsMax) {
    if (value == null || value.isBlank()) {
      throw BookingException.invalid(field + " is required");
    }
    if (value.length() > charsMax) {
      throw BookingException.invalid(field + " is at most " + charsMax + " characters");
    }
    return value.strip();
  }

  static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw BookingException.invalid(field + " must be between " + min + " and " + max
          + ", got " + value);
    }
    return value;
  }

  /** A caller's idempotency key: 1-64 letters, digits, '-', '_' or '.'. */
  static String requestId(String value) {
    if (value == null || !value.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw BookingException.invalid("request_id must be 1-64 letters, digits, '-', '_' or '.'"
          + " (one per booking attempt: a retry with the same id returns the same reservation)");
    }
    return value;
  }
}
