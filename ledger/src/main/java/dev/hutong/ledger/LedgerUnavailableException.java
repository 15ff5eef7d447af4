package dev.hutong.ledger;

/**
 * The ledger could not commit a batch (the database failed or is unreachable). Nothing in the
 * request is known to have been applied: retry it with the same ids, which is always safe —
 * transfers that did commit answer {@code exists}.
 */
public final class LedgerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LedgerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
