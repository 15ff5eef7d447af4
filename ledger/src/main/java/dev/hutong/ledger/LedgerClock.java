package dev.hutong.ledger;

/**
 * The ledger's source of time, in nanoseconds since the Unix epoch. Pending transfers expire by
 * this clock; tests drive it by hand.
 */
@FunctionalInterface
public interface LedgerClock {
  long nowNanos();

  /** The wall clock. The writer still keeps timestamps strictly increasing if it steps back. */
  static LedgerClock system() {
    return () -> {
      java.time.Instant now = java.time.Instant.now();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
