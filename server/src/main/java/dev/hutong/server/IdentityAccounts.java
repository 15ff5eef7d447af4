package dev.hutong.server;

import dev.hutong.booking.PartyAccounts;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.Users;
import java.util.UUID;

/** The booking module's view of users and merchants, answered from identity. */
final class IdentityAccounts implements PartyAccounts {
  private final Users users;
  private final Merchants merchants;

  IdentityAccounts(Users users, Merchants merchants) {
    this.users = users;
    this.merchants = merchants;
  }

  @Override
  public UUID walletOf(UUID userId) {
    return users.get(userId).walletAccountId();
  }

  @Override
  public UUID settlementOf(UUID merchantId) {
    return merchants.get(merchantId).settlementAccountId();
  }
}
