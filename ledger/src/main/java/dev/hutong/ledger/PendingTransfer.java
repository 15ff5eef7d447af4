package dev.hutong.ledger;

/** A pending transfer still holding its amount, with when it expires (0: never), in ledger nanoseconds. */
record PendingTransfer(Transfer transfer, long expiresAt) implements Comparable<PendingTransfer> {
  /** Expiry order: earliest deadline first, then creation order, so releases are deterministic. */
  @Override
  public int compareTo(PendingTransfer o) {
    int c = Long.compare(expiresAt, o.expiresAt);
    return c != 0 ? c : Long.compare(transfer.timestamp(), o.transfer.timestamp());
  }
}
