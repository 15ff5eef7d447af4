package dev.hutong.ledger;

import java.util.UUID;

/** The checks on a transfer that need no balances: its own fields, and how it compares to a stored one. */
final class TransferValidation {
  private TransferValidation() {}

  /** The first thing wrong with the request's own fields, or null. */
  static CreateTransferResult validate(Transfer t) {
    CreateTransferResult r = validateCommon(t);
    if (r != null) {
      return r;
    }
    boolean resolves = t.hasFlag(TransferFlags.POST_PENDING_TRANSFER)
        || t.hasFlag(TransferFlags.VOID_PENDING_TRANSFER);
    return resolves ? validateResolution(t) : validateNew(t);
  }

  private static CreateTransferResult validateCommon(Transfer t) {
    if ((t.flags() & ~TransferFlags.KNOWN) != 0) {
      return CreateTransferResult.RESERVED_FLAG;
    }
    if (Ids.isZero(t.id())) {
      return CreateTransferResult.ID_MUST_NOT_BE_ZERO;
    }
    if (t.id().equals(Ids.MAX)) {
      return CreateTransferResult.ID_MUST_NOT_BE_INT_MAX;
    }
    if (t.timestamp() != 0) {
      return CreateTransferResult.TIMESTAMP_MUST_BE_ZERO;
    }
    int phases = bit(t, TransferFlags.PENDING) + bit(t, TransferFlags.POST_PENDING_TRANSFER)
        + bit(t, TransferFlags.VOID_PENDING_TRANSFER);
    boolean balancing = t.hasFlag(TransferFlags.BALANCING_DEBIT) || t.hasFlag(TransferFlags.BALANCING_CREDIT);
    if (phases > 1 || (balancing && phases == 1 && !t.hasFlag(TransferFlags.PENDING))) {
      return CreateTransferResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
    }
    boolean closing = t.hasFlag(TransferFlags.CLOSING_DEBIT) || t.hasFlag(TransferFlags.CLOSING_CREDIT);
    if (closing && !t.hasFlag(TransferFlags.PENDING)) {
      return CreateTransferResult.CLOSING_TRANSFER_MUST_BE_PENDING;
    }
    if (t.amount() < 0) {
      return CreateTransferResult.AMOUNT_MUST_NOT_BE_NEGATIVE;
    }
    if (t.timeoutSeconds() < 0) {
      return CreateTransferResult.TIMEOUT_MUST_NOT_BE_NEGATIVE;
    }
    return null;
  }

  private static CreateTransferResult validateResolution(Transfer t) {
    if (Ids.isZero(t.pendingId())) {
      return CreateTransferResult.PENDING_ID_MUST_NOT_BE_ZERO;
    }
    if (t.pendingId().equals(Ids.MAX)) {
      return CreateTransferResult.PENDING_ID_MUST_NOT_BE_INT_MAX;
    }
    if (t.pendingId().equals(t.id())) {
      return CreateTransferResult.PENDING_ID_MUST_BE_DIFFERENT;
    }
    if (t.timeoutSeconds() != 0) {
      return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
    }
    return null;
  }

  private static CreateTransferResult validateNew(Transfer t) {
    if (Ids.isZero(t.debitAccountId())) {
      return CreateTransferResult.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
    }
    if (Ids.isZero(t.creditAccountId())) {
      return CreateTransferResult.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
    }
    if (t.debitAccountId().equals(t.creditAccountId())) {
      return CreateTransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
    }
    if (!Ids.isZero(t.pendingId())) {
      return CreateTransferResult.PENDING_ID_MUST_BE_ZERO;
    }
    if (!t.hasFlag(TransferFlags.PENDING) && t.timeoutSeconds() != 0) {
      return CreateTransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
    }
    if (t.ledger() <= 0) {
      return CreateTransferResult.LEDGER_MUST_NOT_BE_ZERO;
    }
    if (t.code() <= 0) {
      return CreateTransferResult.CODE_MUST_NOT_BE_ZERO;
    }
    if (t.amount() == 0) {
      return CreateTransferResult.AMOUNT_MUST_NOT_BE_ZERO;
    }
    return null;
  }

  /**
   * A request whose id is already stored: {@code exists} when it asks for the same thing,
   * otherwise the first field that differs. A post or void may leave fields zero to take them from
   * the pending transfer; a zero in a retry means the same thing, so what was stored must be the
   * pending transfer's value (as in TigerBeetle: "post the whole hold" is not the request that
   * posted part of it). Accounts, ledger and code of a post are the pending transfer's anyway.
   *
   * @param pending for a post or void that names the same pending transfer as the stored one:
   *     that pending transfer; otherwise unused (may be null)
   */
  static CreateTransferResult compareExisting(Transfer t, Transfer e, Transfer pending) {
    int mask = ~TransferFlags.LINKED;
    if ((t.flags() & mask) != (e.flags() & mask)) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_FLAGS;
    }
    if (!t.pendingId().equals(e.pendingId())) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
    }
    boolean resolves = t.hasFlag(TransferFlags.POST_PENDING_TRANSFER)
        || t.hasFlag(TransferFlags.VOID_PENDING_TRANSFER);
    if (resolves && pending == null) {
      throw new IllegalStateException("post or void " + e.id() + " is stored without its pending transfer");
    }
    if (differs(t.debitAccountId(), e.debitAccountId(), resolves)) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
    }
    if (differs(t.creditAccountId(), e.creditAccountId(), resolves)) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
    }
    if (amountDiffers(t, e, pending, resolves)) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
    }
    UUID userData128 = resolves ? inherit(t.userData128(), pending.userData128()) : t.userData128();
    if (!userData128.equals(e.userData128())) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_128;
    }
    if ((resolves ? inherit(t.userData64(), pending.userData64()) : t.userData64()) != e.userData64()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_64;
    }
    if ((resolves ? inherit(t.userData32(), pending.userData32()) : t.userData32()) != e.userData32()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_USER_DATA_32;
    }
    if (t.timeoutSeconds() != e.timeoutSeconds()) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
    }
    if (differs(t.ledger(), e.ledger(), resolves)) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_LEDGER;
    }
    if (differs(t.code(), e.code(), resolves)) {
      return CreateTransferResult.EXISTS_WITH_DIFFERENT_CODE;
    }
    return CreateTransferResult.EXISTS;
  }

  private static boolean amountDiffers(Transfer t, Transfer e, Transfer pending, boolean resolves) {
    if (resolves) {
      return inherit(t.amount(), pending.amount()) != e.amount();
    }
    boolean balancing = t.hasFlag(TransferFlags.BALANCING_DEBIT) || t.hasFlag(TransferFlags.BALANCING_CREDIT);
    // A balancing transfer stores what it actually moved, at most what was asked.
    return balancing ? e.amount() > t.amount() : t.amount() != e.amount();
  }

  private static long inherit(long given, long fromPending) {
    return given == 0 ? fromPending : given;
  }

  private static UUID inherit(UUID given, UUID fromPending) {
    return Ids.isZero(given) ? fromPending : given;
  }

  /** The first way a post or void disagrees with the pending transfer it names, or null. */
  static CreateTransferResult compareWithPending(Transfer t, Transfer pending) {
    if (!pending.hasFlag(TransferFlags.PENDING)) {
      return CreateTransferResult.PENDING_TRANSFER_NOT_PENDING;
    }
    if (differs(t.debitAccountId(), pending.debitAccountId(), true)) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
    }
    if (differs(t.creditAccountId(), pending.creditAccountId(), true)) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
    }
    if (differs(t.ledger(), pending.ledger(), true)) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_LEDGER;
    }
    if (differs(t.code(), pending.code(), true)) {
      return CreateTransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CODE;
    }
    return null;
  }

  private static boolean differs(UUID given, UUID stored, boolean zeroInherits) {
    return !(zeroInherits && Ids.isZero(given)) && !given.equals(stored);
  }

  private static boolean differs(long given, long stored, boolean zeroInherits) {
    return !(zeroInherits && given == 0) && given != stored;
  }

  private static int bit(Transfer t, int flag) {
    return t.hasFlag(flag) ? 1 : 0;
  }
}
