package dev.hutong.booking;

import java.util.UUID;

/**
 * What the booking engine needs to know about users and merchants, answered by the server from
 * the identity module (booking may not use identity directly: docs/architecture.md). Used only for
 * escrow deposits: the pending ledger transfer that keeps a paid deposit from the agency until the
 * move-in. (No PIN here: the tenant authorises the deposit in the shell's cashier.)
 */
public interface PartyAccounts {
  /** The user's wallet account in the ledger. */
  UUID walletOf(UUID userId);

  /** The merchant's settlement account in the ledger. */
  UUID settlementOf(UUID merchantId);
}
