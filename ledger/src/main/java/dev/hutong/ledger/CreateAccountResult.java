package dev.hutong.ledger;

import java.util.Locale;

/** The outcome of creating one account. Only {@link #CREATED} changed anything. */
public enum CreateAccountResult {
  CREATED,
  LINKED_EVENT_FAILED,
  LINKED_EVENT_CHAIN_OPEN,
  RESERVED_FLAG,
  ID_MUST_NOT_BE_ZERO,
  ID_MUST_NOT_BE_INT_MAX,
  FLAGS_ARE_MUTUALLY_EXCLUSIVE,
  DEBITS_PENDING_MUST_BE_ZERO,
  DEBITS_POSTED_MUST_BE_ZERO,
  CREDITS_PENDING_MUST_BE_ZERO,
  CREDITS_POSTED_MUST_BE_ZERO,
  LEDGER_MUST_NOT_BE_ZERO,
  CODE_MUST_NOT_BE_ZERO,
  TIMESTAMP_MUST_BE_ZERO,
  EXISTS_WITH_DIFFERENT_FLAGS,
  EXISTS_WITH_DIFFERENT_USER_DATA_128,
  EXISTS_WITH_DIFFERENT_USER_DATA_64,
  EXISTS_WITH_DIFFERENT_USER_DATA_32,
  EXISTS_WITH_DIFFERENT_LEDGER,
  EXISTS_WITH_DIFFERENT_CODE,
  /** The same account was created before: an idempotent success. */
  EXISTS;

  /** TigerBeetle's spelling, for APIs and logs. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the account now exists exactly as requested. */
  public boolean ok() {
    return this == CREATED || this == EXISTS;
  }
}
