package dev.hutong.identity;

/**
 * The numbers Hutong writes into the ledger's {@code ledger} and {@code code} fields. One table
 * for every module, so that codes never collide and an operator reading raw ledger rows can tell
 * what each account and transfer is. Changing a value breaks every stored row: add, never edit.
 */
public final class LedgerCodes {
  /** ISO 4217 numeric code of the yuan: the ledger all wallet money lives in (amounts in fen). */
  public static final int LEDGER_CNY = 156;

  // Account codes.
  /** A user's wallet. Flags: debits must not exceed credits, history. */
  public static final int ACCOUNT_USER_WALLET = 1;
  /** A merchant's settlement account. Flags: debits must not exceed credits. */
  public static final int ACCOUNT_MERCHANT_SETTLEMENT = 2;
  /** The platform's fee income. Flags: debits must not exceed credits. */
  public static final int ACCOUNT_PLATFORM_FEES = 3;
  /** The bank side: money entering (top-ups) and leaving (payouts). Unconstrained. */
  public static final int ACCOUNT_EXTERNAL_FUNDING = 4;

  // Transfer codes.
  /** External funding to a user wallet (a top-up through a FundingChannel). */
  public static final int TRANSFER_TOP_UP = 101;
  /** Merchant settlement to external funding (a payout through a FundingChannel). */
  public static final int TRANSFER_PAYOUT = 102;
  /** Buyer wallet to merchant settlement: a trade's total. */
  public static final int TRANSFER_PAYMENT = 201;
  /** Merchant settlement to platform fees: a trade's fee. */
  public static final int TRANSFER_FEE = 202;
  /** Merchant settlement to buyer wallet: a refund. */
  public static final int TRANSFER_REFUND = 203;
  /** Platform fees to merchant settlement: the fee share given back with a refund. */
  public static final int TRANSFER_FEE_REFUND = 204;

  private LedgerCodes() {}
}
