package dev.hutong.booking;

import java.time.Instant;
import java.util.UUID;

/**
 * A hold (status HELD: inventory taken, payment awaited) that becomes a booking (CONFIRMED) when
 * its trade is paid, or ends: RELEASED (the hold expired, its trade closed, or payment failed),
 * CANCELLED (by the user or merchant; refund per the venue's policy), COMPLETED (the visit
 * happened; a deposit was posted to the agency). Amounts in fen.
 *
 * @param outTradeNo the trade's out_trade_no: derived from the id (holds written before the hold
 *     and its trade became one commit are repaired after a crash by looking the trade up)
 * @param refundStatus NONE, PENDING (owed; the sweeper retries) or DONE
 * @param depositStatus DEPOSIT only: where its two-phase ledger transfer stands
 */
public record Reservation(UUID id, UUID venueId, String appId, UUID userId, Kind kind,
    String requestId, Status status, long amountFen, int partySize, UUID listingId,
    Instant startsAt, String summary, String outTradeNo, String tradeNo, Instant expiresAt,
    Instant createdAt, Instant confirmedAt, Instant endedAt, String endReason, long refundFen,
    String refundStatus, UUID depositTransferId, UUID depositEndTransferId,
    String depositStatus) {

  public enum Kind { SEATS, TABLE, VIEWING, DEPOSIT }

  public enum Status {
    HELD, CONFIRMED, RELEASED, CANCELLED, COMPLETED;

    /** True while the reservation keeps its units. */
    public boolean holdsInventory() {
      return this == HELD || this == CONFIRMED || this == COMPLETED;
    }
  }

  /** This reservation with its trade's number (written with it, in the same transaction). */
  Reservation withTradeNo(String number) {
    return new Reservation(id, venueId, appId, userId, kind, requestId, status, amountFen,
        partySize, listingId, startsAt, summary, outTradeNo, number, expiresAt, createdAt,
        confirmedAt, endedAt, endReason, refundFen, refundStatus, depositTransferId,
        depositEndTransferId, depositStatus);
  }

  /** True when the user must still pay (a trade waits). */
  public boolean awaitingPayment() {
    return status == Status.HELD;
  }
}
