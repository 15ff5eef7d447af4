package dev.hutong.identity;

/**
 * Who a session belongs to. Each role has its own cookie and its own routes, so a user's session
 * can never be used on the merchant portal or the operator console, and the other way round.
 */
public enum SessionRole {
  /** A wallet user of the super-app shell; the principal is the user's id. */
  USER,
  /** A merchant's staff member on the merchant portal. */
  MERCHANT_STAFF,
  /** An operator of the platform on the operations console. */
  OPERATOR
}
