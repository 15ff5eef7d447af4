package dev.hutong.miniapp;

/**
 * Where a version is in its lifecycle (DESIGN §6). The allowed steps, and nothing else:
 *
 * <pre>
 *   upload            -> DEVELOP
 *   DEVELOP           -> TRIAL (testers)    TRIAL    -> TRIAL (new testers) | DEVELOP
 *   DEVELOP | TRIAL   -> AUDITING           AUDITING -> DEVELOP (cancel) | APPROVED | REJECTED
 *   REJECTED          -> DEVELOP
 *   APPROVED          -> GRAY (percent)     GRAY     -> GRAY (wider) | APPROVED (cancel)
 *   APPROVED | GRAY   -> ONLINE             (the version online before it -> OFFLINE)
 *   ONLINE            -> OFFLINE
 *   ONLINE            -> ROLLBACK           (the previous online version OFFLINE -> ONLINE)
 * </pre>
 */
public enum VersionState {
  /** Uploaded; only its developers preview it (envVersion develop). Files may be re-uploaded. */
  DEVELOP,
  /** Named testers get it (envVersion trial). */
  TRIAL,
  /** Submitted for review; in the operators' queue. */
  AUDITING,
  /** Passed review; may be released (or gray-released). */
  APPROVED,
  /** Failed review, with findings; back to develop, or upload a new version. */
  REJECTED,
  /** Released to a percentage of users, chosen by a stable hash of user and app. */
  GRAY,
  /** What every user gets (envVersion release). At most one per app. */
  ONLINE,
  /** Was online and was rolled back; final. */
  ROLLBACK,
  /** Was online; taken offline or replaced by a newer version. Rollback may bring it back. */
  OFFLINE
}
