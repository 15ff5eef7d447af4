package dev.hutong.miniapp;

import java.util.List;

/**
 * A refused mini-program operation: {@link #error()} is the machine-readable reason, the message
 * says what to do, and {@link #details()} lists every individual finding (package problems, ext
 * violations) when there is more than one thing to fix.
 */
public final class MiniappException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final MiniappError error;
  private final transient List<String> details;

  public MiniappException(MiniappError error, String message) {
    this(error, message, List.of());
  }

  public MiniappException(MiniappError error, String message, List<String> details) {
    super(details.isEmpty() ? message : message + "\n  - " + String.join("\n  - ", details));
    this.error = error;
    this.details = List.copyOf(details);
  }

  public MiniappError error() {
    return error;
  }

  public List<String> details() {
    return details;
  }
}
