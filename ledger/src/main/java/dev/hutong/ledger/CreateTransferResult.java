package dev.hutong.ledger;

import java.util.Locale;

/** The outcome of creating one transfer. Only {@link #CREATED} moved money. */
public enum CreateTransferResult {
  CREATED(false),
  LINKED_EVENT_FAILED(false),
  LINKED_EVENT_CHAIN_OPEN(false),
  RESERVED_FLAG(false),
  ID_MUST_NOT_BE_ZERO(false),
  ID_MUST_NOT_BE_INT_MAX(false),
  FLAGS_ARE_MUTUALLY_EXCLUSIVE(false),
  TIMESTAMP_MUST_BE_ZERO(false),
  DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO(false),
  CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO(false),
  ACCOUNTS_MUST_BE_DIFFERENT(false),
  PENDING_ID_MUST_BE_ZERO(false),
  PENDING_ID_MUST_NOT_BE_ZERO(false),
  PENDING_ID_MUST_NOT_BE_INT_MAX(false),
  PENDING_ID_MUST_BE_DIFFERENT(false),
  TIMEOUT_RESERVED_FOR_PENDING_TRANSFER(false),
  TIMEOUT_MUST_NOT_BE_NEGATIVE(false),
  CLOSING_TRANSFER_MUST_BE_PENDING(false),
  AMOUNT_MUST_NOT_BE_ZERO(false),
  AMOUNT_MUST_NOT_BE_NEGATIVE(false),
  LEDGER_MUST_NOT_BE_ZERO(false),
  CODE_MUST_NOT_BE_ZERO(false),
  DEBIT_ACCOUNT_NOT_FOUND(true),
  CREDIT_ACCOUNT_NOT_FOUND(true),
  ACCOUNTS_MUST_HAVE_THE_SAME_LEDGER(false),
  TRANSFER_MUST_HAVE_THE_SAME_LEDGER_AS_ACCOUNTS(false),
  PENDING_TRANSFER_NOT_FOUND(true),
  PENDING_TRANSFER_NOT_PENDING(false),
  PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID(false),
  PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID(false),
  PENDING_TRANSFER_HAS_DIFFERENT_LEDGER(false),
  PENDING_TRANSFER_HAS_DIFFERENT_CODE(false),
  EXCEEDS_PENDING_TRANSFER_AMOUNT(false),
  PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT(false),
  PENDING_TRANSFER_ALREADY_POSTED(false),
  PENDING_TRANSFER_ALREADY_VOIDED(false),
  PENDING_TRANSFER_EXPIRED(true),
  EXISTS_WITH_DIFFERENT_FLAGS(false),
  EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID(false),
  EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID(false),
  EXISTS_WITH_DIFFERENT_AMOUNT(false),
  EXISTS_WITH_DIFFERENT_PENDING_ID(false),
  EXISTS_WITH_DIFFERENT_USER_DATA_128(false),
  EXISTS_WITH_DIFFERENT_USER_DATA_64(false),
  EXISTS_WITH_DIFFERENT_USER_DATA_32(false),
  EXISTS_WITH_DIFFERENT_TIMEOUT(false),
  EXISTS_WITH_DIFFERENT_LEDGER(false),
  EXISTS_WITH_DIFFERENT_CODE(false),
  /** The same transfer was created before: an idempotent success that moved no money now. */
  EXISTS(false),
  /** An earlier transfer with this id failed for a reason that depended on the ledger's state. */
  ID_ALREADY_FAILED(false),
  OVERFLOWS_DEBITS_PENDING(true),
  OVERFLOWS_CREDITS_PENDING(true),
  OVERFLOWS_DEBITS_POSTED(true),
  OVERFLOWS_CREDITS_POSTED(true),
  OVERFLOWS_DEBITS(true),
  OVERFLOWS_CREDITS(true),
  OVERFLOWS_TIMEOUT(true),
  EXCEEDS_CREDITS(true),
  EXCEEDS_DEBITS(true),
  DEBIT_ACCOUNT_ALREADY_CLOSED(true),
  CREDIT_ACCOUNT_ALREADY_CLOSED(true);

  private final boolean transientFailure;

  CreateTransferResult(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  /**
   * A failure that depended on the ledger's state at the time (a balance, an account that did not
   * exist yet, an expiry). Like TigerBeetle, the ledger remembers the id, and a retry with the same
   * id answers {@link #ID_ALREADY_FAILED}: a retried payment must not succeed later by surprise.
   */
  public boolean isTransient() {
    return transientFailure;
  }

  /** TigerBeetle's spelling, for APIs and logs. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the transfer now exists exactly as requested. */
  public boolean ok() {
    return this == CREATED || this == EXISTS;
  }
}
