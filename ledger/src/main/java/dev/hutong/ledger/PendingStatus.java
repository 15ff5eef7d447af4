package dev.hutong.ledger;

/** Where a pending (two-phase) transfer stands. Stored as its ordinal + 1 in ledger_pending.status. */
public enum PendingStatus {
  PENDING, POSTED, VOIDED, EXPIRED;

  short dbValue() {
    return (short) (ordinal() + 1);
  }

  static PendingStatus fromDb(int value) {
    if (value < 1 || value > values().length) {
      throw new IllegalStateException("unknown pending status in the database: " + value);
    }
    return values()[value - 1];
  }
}
