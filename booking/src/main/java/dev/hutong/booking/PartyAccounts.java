package dev.hutong.booking;

import java.util.UUID;

/**
 * What the booking engine needs to know about users and merchants, answered by the server from
 * the identity module (booking may not use identity directly: docs/architecture.md). Used only for
 * escrow deposits, which move money with the ledger's two-phase transfers rather than a trade.
 */
public interface PartyAccounts {
  /** The user's wallet account in the ledger. */
  UUID walletOf(UUID userId);

  /** The merchant's settlement account in the ledger. */
  UUID settlementOf(UUID merchantId);

  /** True when {@code pin} is the user's payment PIN (counts towards the PIN lockout). */
  boolean pinMatches(UUID userId, String pin);
}
