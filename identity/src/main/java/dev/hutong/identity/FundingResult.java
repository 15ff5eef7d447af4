package dev.hutong.identity;

import java.time.Instant;
import java.util.UUID;

/**
 * What became of a top-up or payout.
 *
 * @param operationId also the ledger transfer's id
 * @param failure for FAILED: why ({@link IdentityError} name), else null
 * @param simulated true when the channel is simulated: no real bank was involved, and any UI
 *     showing this result must say so
 */
public record FundingResult(
    UUID operationId, Kind kind, UUID ownerId, String requestId, long amountFen, Status status,
    String failure, String channel, boolean simulated, Instant createdAt, Instant completedAt) {

  public enum Kind { TOP_UP, PAYOUT }

  public enum Status { PROCESSING, SUCCESS, FAILED }

  public boolean succeeded() {
    return status == Status.SUCCESS;
  }

  /** This result if it succeeded, else an {@link IdentityException} naming the failure. */
  public FundingResult requireSuccess() {
    if (status == Status.SUCCESS) {
      return this;
    }
    IdentityError error = failure == null ? IdentityError.LEDGER_REJECTED : IdentityError.valueOf(failure);
    throw new IdentityException(error);
  }
}
