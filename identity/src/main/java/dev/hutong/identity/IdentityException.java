package dev.hutong.identity;

/** A refused identity operation. {@link #error()} is the machine-readable reason. */
public final class IdentityException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final IdentityError error;

  public IdentityException(IdentityError error) {
    this(error, error.message());
  }

  public IdentityException(IdentityError error, String message) {
    super(message);
    this.error = error;
  }

  public IdentityError error() {
    return error;
  }
}
