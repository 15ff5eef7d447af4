package dev.hutong.booking;

/**
 * A refusal with a reason the caller can act on; a refused request changed nothing. A refusal
 * without a cause carries no stack trace: it is an answer, never logged as a failure, and a rush
 * makes thousands of them ("taken") whose stack walk would cost more than the answer.
 */
public final class BookingException extends RuntimeException {
  private final BookingError error;

  public BookingException(BookingError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public BookingException(BookingError error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public BookingError error() {
    return error;
  }

  static BookingException invalid(String message) {
    return new BookingException(BookingError.INVALID_ARGUMENT, message);
  }

  static BookingException notFound(String message) {
    return new BookingException(BookingError.NOT_FOUND, message);
  }
}
