package dev.hutong.ledger;

import java.util.Objects;
import java.util.UUID;

/**
 * An account, TigerBeetle's model: balances are kept as four non-negative running sums in minor
 * units (fen); the balance a user sees is derived from them.
 *
 * @param ledger the currency (e.g. 156 for CNY); transfers only move money within one ledger
 * @param code what kind of account this is (user wallet, merchant settlement, fees, ...)
 * @param timestamp when the ledger created it, in ledger nanoseconds; 0 in a create request
 */
public record Account(
    UUID id,
    long debitsPending,
    long debitsPosted,
    long creditsPending,
    long creditsPosted,
    UUID userData128,
    long userData64,
    int userData32,
    int ledger,
    int code,
    int flags,
    long timestamp) {

  public Account {
    Objects.requireNonNull(id, "id");
    userData128 = userData128 == null ? Ids.ZERO : userData128;
  }

  /** A create request: balances zero, timestamp assigned by the ledger. */
  public static Account open(UUID id, int ledger, int code, int flags) {
    return new Account(id, 0, 0, 0, 0, Ids.ZERO, 0, 0, ledger, code, flags, 0);
  }

  public Account withUserData(UUID userData128, long userData64, int userData32) {
    return new Account(id, debitsPending, debitsPosted, creditsPending, creditsPosted,
        userData128, userData64, userData32, ledger, code, flags, timestamp);
  }

  /** credits_posted − debits_posted: what a wallet holds (pending debits are not yet spent). */
  public long postedCreditBalance() {
    return creditsPosted - debitsPosted;
  }

  /** credits_posted − debits_posted − debits_pending: what a wallet may still spend. */
  public long availableCreditBalance() {
    return creditsPosted - debitsPosted - debitsPending;
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }
}
