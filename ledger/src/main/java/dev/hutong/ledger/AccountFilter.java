package dev.hutong.ledger;

import java.util.UUID;

/**
 * Which of an account's transfers or balances to read: a timestamp range, which side, a page size
 * and direction. Page by passing the last timestamp seen (+1, or −1 when reversed) as the bound.
 *
 * @param timestampMin inclusive lower bound (0: none)
 * @param timestampMax inclusive upper bound (0: none)
 * @param limit page size, 1 to {@link #LIMIT_MAX}
 */
public record AccountFilter(
    UUID accountId, long timestampMin, long timestampMax, int limit, boolean debits, boolean credits,
    boolean reversed) {
  /** As in TigerBeetle: one reply holds at most 8189 rows. */
  public static final int LIMIT_MAX = 8189;

  public AccountFilter {
    if (accountId == null || Ids.isZero(accountId)) {
      throw new IllegalArgumentException("account_id must not be zero");
    }
    if (limit < 1 || limit > LIMIT_MAX) {
      throw new IllegalArgumentException("limit must be between 1 and " + LIMIT_MAX + ", got " + limit);
    }
    if (timestampMin < 0 || timestampMax < 0 || (timestampMax != 0 && timestampMin > timestampMax)) {
      throw new IllegalArgumentException("timestamp range must satisfy 0 <= min <= max");
    }
    if (!debits && !credits) {
      throw new IllegalArgumentException("choose debits, credits or both");
    }
  }

  /** The newest {@code limit} transfers on either side. */
  public static AccountFilter latest(UUID accountId, int limit) {
    return new AccountFilter(accountId, 0, 0, limit, true, true, true);
  }
}
