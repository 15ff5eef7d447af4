package dev.hutong.miniapp;

/**
 * Why a mini-program operation was refused. The server maps these to HTTP statuses and the
 * gateway to Alipay sub_codes; {@link MiniappException#getMessage()} says what to do.
 */
public enum MiniappError {
  /** The uploaded package broke one or more rules; {@link MiniappException#details()} lists them. */
  PACKAGE_INVALID,
  APP_NOT_FOUND,
  APP_EXISTS,
  VERSION_NOT_FOUND,
  /** The version number is not X.Y.Z or not above every version the app already has. */
  VERSION_NUMBER_INVALID,
  /** The lifecycle does not allow this step from the version's current state. */
  TRANSITION_FORBIDDEN,
  /** Another version already occupies the one slot this step needs (trial, audit, gray, online). */
  SLOT_TAKEN,
  /** A field of the request is missing, too long or malformed. */
  INVALID_ARGUMENT,
  /** A template operation on an app that is not a template, or an instance on one that is not. */
  NOT_A_TEMPLATE,
  NOT_AN_INSTANCE,
  /** The template version has not passed review, so instances cannot use it yet. */
  TEMPLATE_NOT_APPROVED,
  /** An instance's ext does not satisfy the template version's schema; details list each violation. */
  EXT_INVALID,
  /** A per-user bound (favourites) is reached. */
  LIMIT_REACHED
}
