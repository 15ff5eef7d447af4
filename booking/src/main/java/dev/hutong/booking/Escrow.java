package dev.hutong.booking;

import dev.hutong.ledger.CreateTransferResult;
import dev.hutong.ledger.Ids;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerUnavailableException;
import dev.hutong.ledger.Transfer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's holding deposit in escrow. The tenant pays it as a trade in the shell's cashier with
 * the PIN ({@link Reservations#holdDeposit}, {@code my.tradePay}: money leaves a wallet only there),
 * so the agency's settlement account receives it (less the platform fee). Once paid, the agency
 * may not use it: a <em>pending</em> (two-phase) ledger transfer of what the agency received, from
 * its settlement account back to the tenant's wallet, holds it there (the ledger counts pending
 * debits against the available balance). The agency confirms the move-in: the pending transfer is
 * voided and the money is the agency's (POSTED, COMPLETED). The tenant or agency cancels, or the
 * escrow time ({@code deposit_days}) runs out: it is voided and the whole trade refunded through
 * the payments core, fee included (VOIDED, CANCELLED or RELEASED, refund PENDING then DONE).
 *
 * <p>Crash safety, like pay's payments: each step first writes its transfer id and a *-ING status,
 * then asks the ledger, then records the answer. {@link #sweep} resubmits whatever a crash left
 * *-ING (the ledger answers {@code exists} for a transfer it already has), ends deposits whose
 * escrow ran out, and {@link Reservations#sweep} retries owed refunds.
 */
public final class Escrow {
  private static final Logger log = LoggerFactory.getLogger(Escrow.class);
  static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(30);
  /** The ledger's own timeout is later than the jobs' deadline: the jobs end it, not the ledger. */
  static final Duration LEDGER_TIMEOUT_MARGIN = Duration.ofDays(7);

  private final Jdbi jdbi;
  private final Venues venues;
  private final Reservations reservations;
  private final Ledger ledger;
  private final PartyAccounts accounts;
  private final Clock clock;

  public Escrow(Jdbi jdbi, Venues venues, Reservations reservations, Ledger ledger,
      PartyAccounts accounts, Clock clock) {
    this.jdbi = jdbi;
    this.venues = venues;
    this.reservations = reservations;
    this.ledger = ledger;
    this.accounts = accounts;
    this.clock = clock;
  }

  /** Holds the listing for the tenant and opens the deposit's trade (paid with my.tradePay). */
  public Reservation place(String appId, UUID userId, String requestId, UUID listingId) {
    return settle(reservations.holdDeposit(appId, userId, requestId, listingId));
  }

  /**
   * The reservation after bringing it in step with its trade and, for a deposit just paid, after
   * putting it in escrow (what the app's "look again" after paying calls).
   */
  public Reservation settle(Reservation r) {
    Reservation synced = reservations.sync(r);
    if (synced.kind() == Reservation.Kind.DEPOSIT
        && "SUBMITTING".equals(synced.depositStatus())) {
      return submitDeposit(synced, venues.requireByApp(synced.appId()));
    }
    return synced;
  }

  private Reservation submitDeposit(Reservation r, Venue venue) {
    long received;
    try {
      var trade = reservations.trade(r);
      received = trade.totalAmount() - trade.feeAmount();
    } catch (RuntimeException e) {
      throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the payment could not be"
          + " read now; the deposit will be put in escrow shortly", e);
    }
    int timeout = (int) Duration.ofDays(venue.depositDays()).plus(LEDGER_TIMEOUT_MARGIN)
        .toSeconds();
    Transfer pending = Transfer.pending(r.depositTransferId(),
        accounts.settlementOf(venue.merchantId()), accounts.walletOf(r.userId()), received,
        BookingCodes.LEDGER_CNY, BookingCodes.TRANSFER_DEPOSIT_ESCROW, timeout)
        .withUserData(r.id(), 0, 0);
    CreateTransferResult result;
    try {
      result = ledger.createTransfers(List.of(pending)).get(0);
    } catch (LedgerUnavailableException e) {
      throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the ledger did not answer;"
          + " the deposit will be put in escrow shortly: look at the booking again", e);
    }
    if (result.ok()) {
      return update(r.id(), "SUBMITTING", "PENDING", Reservation.Status.CONFIRMED, null, 0,
          clock.instant());
    }
    // The agency no longer has what it received (it cannot, while paid out is pending): the
    // deposit cannot be held, so the tenant gets it all back.
    log.error("ledger refused the escrow of deposit {}: {}", r.id(), result);
    return refundAll(update(r.id(), "SUBMITTING", "FAILED", Reservation.Status.CANCELLED,
        "DEPOSIT_" + result.code().toUpperCase(), r.amountFen(), clock.instant()));
  }

  /** The agency confirms the move-in: the hold on the deposit is voided, the agency keeps it. */
  public Reservation confirmMoveIn(Venue venue, UUID reservationId) {
    return finish(venue, reservationId, true, "MOVED_IN");
  }

  /** The tenant (or the agency) cancels: the deposit goes back to the tenant. */
  public Reservation cancel(String appId, UUID userId, UUID reservationId) {
    Reservation r = load(reservationId);
    if (!r.appId().equals(appId) || !r.userId().equals(userId)) {
      throw BookingException.notFound("no reservation " + reservationId);
    }
    if (r.status() == Reservation.Status.HELD) {
      Reservation after = reservations.cancel(appId, userId, reservationId);
      if (after.status() != Reservation.Status.CONFIRMED) {
        return after; // unpaid: the trade is closed, nothing to give back
      }
    }
    return finish(venues.requireByApp(appId), settle(load(reservationId)).id(), false,
        "CANCELLED_BY_USER");
  }

  public Reservation cancelByAgency(Venue venue, UUID reservationId) {
    return finish(venue, reservationId, false, "CANCELLED_BY_MERCHANT");
  }

  private Reservation finish(Venue venue, UUID id, boolean post, String reason) {
    Reservation r = load(id);
    if (!r.venueId().equals(venue.id()) || r.kind() != Reservation.Kind.DEPOSIT) {
      throw BookingException.notFound("no deposit " + id + " at this venue");
    }
    String ing = post ? "POSTING" : "VOIDING";
    Reservation marked = Sql.tx(jdbi, h -> h.createQuery("UPDATE booking_reservation SET"
            + " deposit_status = :ing, deposit_end_transfer_id = :t, end_reason = :reason"
            + " WHERE id = :id AND status = 'CONFIRMED' AND deposit_status = 'PENDING' RETURNING *")
        .bind("ing", ing).bind("t", Sql.id(Ids.next())).bind("reason", reason)
        .bind("id", Sql.id(id)).map((rs, ctx) -> ReservationStore.row(rs)).findOne())
        .orElseThrow(() -> new BookingException(BookingError.WRONG_STATE, "the deposit is "
            + r.depositStatus() + "; only a deposit in escrow can be " + (post ? "posted"
                : "voided")));
    return submitEnd(marked);
  }

  /**
   * Voids the escrow's pending transfer. Move-in: the agency keeps the money. Otherwise the whole
   * trade is refunded. A transfer the ledger already expired is as good as voided.
   */
  private Reservation submitEnd(Reservation r) {
    boolean toAgency = "POSTING".equals(r.depositStatus());
    Transfer end = Transfer.voidPending(r.depositEndTransferId(), r.depositTransferId());
    CreateTransferResult result;
    try {
      result = ledger.createTransfers(List.of(end.withUserData(r.id(), 0, 0))).get(0);
    } catch (LedgerUnavailableException e) {
      throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the ledger did not answer;"
          + " it will be settled shortly", e);
    }
    if (!result.ok() && result != CreateTransferResult.PENDING_TRANSFER_EXPIRED) {
      log.error("ledger refused to void deposit {}: {}", r.id(), result);
      throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the ledger refused ("
          + result.code() + ")");
    }
    Instant now = clock.instant();
    if (toAgency) {
      return update(r.id(), "POSTING", "POSTED", Reservation.Status.COMPLETED, r.endReason(), 0,
          now);
    }
    Reservation.Status ended = "DEPOSIT_EXPIRED".equals(r.endReason())
        ? Reservation.Status.RELEASED : Reservation.Status.CANCELLED;
    return refundAll(update(r.id(), "VOIDING", "VOIDED", ended, r.endReason(), r.amountFen(),
        now));
  }

  /** The whole trade back to the tenant (fee included) once the escrow is let go. */
  private Reservation refundAll(Reservation r) {
    return "PENDING".equals(r.refundStatus()) ? reservations.refund(r) : r;
  }

  /** Moves the deposit on; {@code refundFen} > 0 also records the refund owed (PENDING). */
  private Reservation update(UUID id, String fromDeposit, String toDeposit,
      Reservation.Status status, String reason, long refundFen, Instant now) {
    boolean ends = status != Reservation.Status.CONFIRMED;
    return Sql.tx(jdbi, h -> h.createQuery("UPDATE booking_reservation SET deposit_status = :to,"
            + " status = :status, ended_at = CASE WHEN :ends THEN :now ELSE ended_at END,"
            + " end_reason = coalesce(:reason, end_reason), refund_fen = CASE WHEN :refund > 0"
            + " THEN :refund ELSE refund_fen END, refund_status = CASE WHEN :refund > 0 THEN"
            + " 'PENDING' ELSE refund_status END"
            + " WHERE id = :id AND deposit_status = :from RETURNING *")
        .bind("to", toDeposit).bind("status", status.name()).bind("now", Sql.at(now))
        .bind("ends", ends).bind("reason", reason).bind("refund", refundFen)
        .bind("id", Sql.id(id))
        .bind("from", fromDeposit).map((rs, ctx) -> ReservationStore.row(rs)).findOne()
        .orElseGet(() -> ReservationStore.byId(h, id).orElseThrow()));
  }

  private Reservation load(UUID id) {
    return jdbi.withHandle(h -> ReservationStore.byId(h, id))
        .orElseThrow(() -> BookingException.notFound("no reservation " + id));
  }

  /**
   * Resubmits deposits a crash left in flight and ends deposits whose escrow time is over.
   *
   * @return how many deposits changed
   */
  public int sweep(int batchMax, boolean atStart) {
    Instant now = clock.instant();
    Instant inFlightBefore = atStart ? now : now.minus(IN_FLIGHT_GRACE);
    List<Reservation> due = jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM booking_reservation WHERE kind = 'DEPOSIT'
           AND (deposit_status = 'SUBMITTING'
             OR (deposit_status IN ('POSTING', 'VOIDING') AND created_at <= :inflight)
             OR (deposit_status = 'PENDING' AND expires_at <= :now))
         ORDER BY created_at LIMIT :n""")
        .bind("inflight", Sql.at(inFlightBefore)).bind("now", Sql.at(now)).bind("n", batchMax)
        .map((rs, ctx) -> ReservationStore.row(rs)).list());
    int changed = 0;
    for (Reservation r : due) {
      try {
        Reservation after = resume(r);
        changed += after.status() != r.status() || !after.depositStatus()
            .equals(r.depositStatus()) ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("deposit {} not settled now: {}", r.id(), e.getMessage());
      }
    }
    return changed;
  }

  private Reservation resume(Reservation r) {
    Venue venue = venues.requireByApp(r.appId());
    return switch (r.depositStatus()) {
      case "SUBMITTING" -> submitDeposit(r, venue); // paid: roll it forward
      case "POSTING", "VOIDING" -> submitEnd(r);
      case "PENDING" -> expire(r);
      default -> r;
    };
  }

  /** Escrow time is over without a move-in: the tenant gets the deposit back. */
  private Reservation expire(Reservation r) {
    return finish(venues.requireByApp(r.appId()), r.id(), false, "DEPOSIT_EXPIRED");
  }
}
