package dev.hutong.identity;

/** What went wrong in an identity operation; each says what the caller should do. */
public enum IdentityError {
  INVALID_PHONE("phone must be a mobile number: 11 digits starting with 1 (China), or +<country><number> with 8 to 15 digits"),
  PHONE_TAKEN("a user with this phone number exists already"),
  INVALID_PASSWORD("password must be 6 to 64 characters and at most 72 bytes in UTF-8"),
  INVALID_PIN("payment PIN must be exactly 6 digits"),
  INVALID_NICKNAME("nickname must be 1 to 64 characters without control characters"),
  INVALID_NAME("merchant name must be 1 to 128 characters without control characters"),
  INVALID_CATEGORY("merchant category must be 1 to 64 characters without control characters"),
  INVALID_FEE_RATE("fee rate must be a decimal from 0 to 1 with at most 6 decimals, e.g. 0.006"),
  INVALID_APP_ID("app id must be 1 to 64 characters: letters, digits, '_' or '-'"),
  INVALID_AMOUNT("amount must be positive and at most the channel's limit"),
  INVALID_REQUEST_ID("request id must be 1 to 64 characters: letters, digits, '_', '-' or '.'"),
  REQUEST_ID_REUSED("this request id was used before with a different amount: use a new request id"),
  USER_NOT_FOUND("no such user"),
  USER_FROZEN("the user is frozen"),
  MERCHANT_NOT_FOUND("no such merchant"),
  MERCHANT_FROZEN("the merchant is frozen"),
  BALANCE_NOT_ENOUGH("the account's balance is not enough"),
  LEDGER_REJECTED("the ledger refused the transfer"),
  INVALID_CITY("city must be 1 to 64 characters without control characters"),
  INVALID_BANK_HOLDER("bank account holder must be 1 to 128 characters without control characters"),
  INVALID_BANK_ACCOUNT("bank account number must be 8 to 30 digits"),
  INVALID_LIMIT("a limit must be empty (none) or a positive amount of at most 1,000,000,000.00, and the per-payment limit at most the daily one"),
  LOGIN_TAKEN("a merchant staff login with this phone number exists already: log in instead"),
  LOGIN_FAILED("wrong phone number or password"),
  LOGIN_LOCKED("too many wrong passwords: logins are locked for 15 minutes"),
  INVALID_AUDIT_ENTRY("an audit entry needs an actor, an action and a target of at most 200 characters and a detail of at most 4000");

  private final String message;

  IdentityError(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }
}
