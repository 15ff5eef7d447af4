package dev.hutong.identity;

import dev.hutong.ledger.Account;
import dev.hutong.ledger.AccountFlags;
import dev.hutong.ledger.CreateAccountResult;
import dev.hutong.ledger.Ledger;
import java.util.List;
import java.util.UUID;

/**
 * Ledger accounts for users, merchants and the platform. Every account lives in ledger 156 (CNY)
 * and is created idempotently: creating an account that exists with the same fields answers
 * {@code exists}, so a retried user creation never fails on its wallet.
 *
 * <ul>
 *   <li>user wallet: code 1, DEBITS_MUST_NOT_EXCEED_CREDITS (never below zero) and HISTORY;
 *   <li>merchant settlement: code 2, DEBITS_MUST_NOT_EXCEED_CREDITS;
 *   <li>platform fees: code 3, DEBITS_MUST_NOT_EXCEED_CREDITS (fee refunds can never exceed fees);
 *   <li>external funding: code 4, no limit: it stands for the bank side, whose balance goes
 *       negative by exactly the money that entered the platform.
 * </ul>
 *
 * The two platform accounts have fixed ids (below), so every process of a deployment finds them
 * without a lookup table and creating them twice is harmless.
 */
public final class Wallets {
  public static final UUID PLATFORM_FEE_ACCOUNT_ID =
      UUID.fromString("00000000-0000-7000-8000-000000000003");
  public static final UUID EXTERNAL_FUNDING_ACCOUNT_ID =
      UUID.fromString("00000000-0000-7000-8000-000000000004");

  static final int USER_WALLET_FLAGS =
      AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY;
  static final int MERCHANT_SETTLEMENT_FLAGS = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS;
  static final int PLATFORM_FEES_FLAGS = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS;
  static final int EXTERNAL_FUNDING_FLAGS = 0;

  private final Ledger ledger;

  public Wallets(Ledger ledger) {
    this.ledger = ledger;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** Creates (idempotently) the fee and external funding accounts; call once at start-up. */
  public PlatformAccounts ensurePlatformAccounts() {
    create(List.of(
        Account.open(PLATFORM_FEE_ACCOUNT_ID, LedgerCodes.LEDGER_CNY,
            LedgerCodes.ACCOUNT_PLATFORM_FEES, PLATFORM_FEES_FLAGS),
        Account.open(EXTERNAL_FUNDING_ACCOUNT_ID, LedgerCodes.LEDGER_CNY,
            LedgerCodes.ACCOUNT_EXTERNAL_FUNDING, EXTERNAL_FUNDING_FLAGS)));
    return platformAccounts();
  }

  public PlatformAccounts platformAccounts() {
    return new PlatformAccounts(PLATFORM_FEE_ACCOUNT_ID, EXTERNAL_FUNDING_ACCOUNT_ID);
  }

  /** Creates a user's wallet account with this id (user_data_128 = the user's id). */
  public void createUserWallet(UUID accountId, UUID userId) {
    create(List.of(Account.open(accountId, LedgerCodes.LEDGER_CNY, LedgerCodes.ACCOUNT_USER_WALLET,
        USER_WALLET_FLAGS).withUserData(userId, 0, 0)));
  }

  /** Creates a merchant's settlement account (user_data_128 = the merchant's id). */
  public void createMerchantSettlement(UUID accountId, UUID merchantId) {
    create(List.of(Account.open(accountId, LedgerCodes.LEDGER_CNY,
        LedgerCodes.ACCOUNT_MERCHANT_SETTLEMENT, MERCHANT_SETTLEMENT_FLAGS)
        .withUserData(merchantId, 0, 0)));
  }

  /** The balance of any account; an unknown account has none. */
  public WalletBalance balance(UUID accountId) {
    List<Account> found = ledger.lookupAccounts(List.of(accountId));
    if (found.isEmpty()) {
      throw new IllegalStateException("no ledger account " + accountId);
    }
    Account a = found.get(0);
    return new WalletBalance(a.postedCreditBalance(), a.availableCreditBalance(),
        a.creditsPending() - a.debitsPending());
  }

  private void create(List<Account> accounts) {
    List<CreateAccountResult> results = ledger.createAccounts(accounts);
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).ok()) {
        throw new IllegalStateException("the ledger refused account " + accounts.get(i).id() + ": "
            + results.get(i).code());
      }
    }
  }
}
