package dev.hutong.identity;

import java.time.Instant;

/**
 * The answer to a payment PIN.
 *
 * @param attemptsLeft after a WRONG answer: wrong PINs left before payments lock
 * @param lockedUntil for LOCKED: when payments unlock (null: too many checks are running at once
 *     for this user; try again in a moment)
 */
public record PinCheck(Outcome outcome, int attemptsLeft, Instant lockedUntil) {
  public enum Outcome { OK, WRONG, LOCKED }

  public boolean ok() {
    return outcome == Outcome.OK;
  }
}
