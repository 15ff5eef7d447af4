package dev.hutong.ledger;

/** Transfer flags, with TigerBeetle's bit values. */
public final class TransferFlags {
  /** Succeeds or fails together with the next transfer in the request (a chain ends at one without it). */
  public static final int LINKED = 1;
  /** Phase one of a two-phase transfer: reserves the amount as debits_pending / credits_pending. */
  public static final int PENDING = 1 << 1;
  /** Phase two: posts (all or part of) the pending transfer named by pending_id. */
  public static final int POST_PENDING_TRANSFER = 1 << 2;
  /** Phase two: releases the pending transfer named by pending_id. */
  public static final int VOID_PENDING_TRANSFER = 1 << 3;
  /** Transfer at most amount, as much as keeps the debit account's debits within its credits. */
  public static final int BALANCING_DEBIT = 1 << 4;
  /** Transfer at most amount, as much as keeps the credit account's credits within its debits. */
  public static final int BALANCING_CREDIT = 1 << 5;
  /** With PENDING: closes the debit account; voiding the transfer reopens it. */
  public static final int CLOSING_DEBIT = 1 << 6;
  /** With PENDING: closes the credit account; voiding the transfer reopens it. */
  public static final int CLOSING_CREDIT = 1 << 7;

  static final int KNOWN = LINKED | PENDING | POST_PENDING_TRANSFER | VOID_PENDING_TRANSFER
      | BALANCING_DEBIT | BALANCING_CREDIT | CLOSING_DEBIT | CLOSING_CREDIT;

  private TransferFlags() {}

  public static boolean has(int flags, int flag) {
    return (flags & flag) != 0;
  }
}
