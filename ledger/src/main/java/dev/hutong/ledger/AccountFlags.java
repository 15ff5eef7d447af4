package dev.hutong.ledger;

/** Account flags, with TigerBeetle's bit values so that operators who know TigerBeetle read them the same. */
public final class AccountFlags {
  /** This account's creation succeeds or fails together with the next one in the request. */
  public static final int LINKED = 1;
  /** debits_pending + debits_posted may never exceed credits_posted (a wallet that cannot go below zero). */
  public static final int DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1;
  /** credits_pending + credits_posted may never exceed debits_posted. */
  public static final int CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2;
  /** Keep a balance snapshot for every transfer touching the account (see getAccountBalances). */
  public static final int HISTORY = 1 << 3;
  /** No transfer may touch the account any more (set by a closing transfer, cleared if it is voided). */
  public static final int CLOSED = 1 << 5;

  static final int KNOWN = LINKED | DEBITS_MUST_NOT_EXCEED_CREDITS | CREDITS_MUST_NOT_EXCEED_DEBITS
      | HISTORY | CLOSED;

  private AccountFlags() {}

  public static boolean has(int flags, int flag) {
    return (flags & flag) != 0;
  }
}
