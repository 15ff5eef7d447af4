package dev.hutong.server;

/**
 * Hutong could not start, for a reason the operator can fix. The message says what went wrong and
 * what to do; the cause keeps the technical detail for the log.
 */
public final class ServerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServerStartException(String message) {
    super(message);
  }

  public ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
