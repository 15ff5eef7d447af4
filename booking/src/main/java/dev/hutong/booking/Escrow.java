package dev.hutong.booking;

import dev.hutong.ledger.CreateTransferResult;
import dev.hutong.ledger.Ids;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.LedgerUnavailableException;
import dev.hutong.ledger.PendingStatus;
import dev.hutong.ledger.Transfer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's holding deposit in escrow: a pending (two-phase) ledger transfer from the tenant's
 * wallet to the agency's settlement account. The money leaves the tenant's available balance at
 * once but reaches the agency only when the agency confirms the move-in (post); cancelling voids
 * it, and it expires by itself (the ledger's timeout, the venue's deposit days) if neither happens.
 *
 * <p>Crash safety, like pay's payments: each step first writes its transfer id and a *-ING status,
 * then asks the ledger, then records the answer. {@link #sweep} resubmits whatever a crash left
 * *-ING (the ledger answers {@code exists} for a transfer it already has) and ends deposits whose
 * escrow ran out.
 */
public final class Escrow {
  private static final Logger log = LoggerFactory.getLogger(Escrow.class);
  static final Duration IN_FLIGHT_GRACE = Duration.ofSeconds(30);

  private final Jdbi jdbi;
  private final Venues venues;
  private final Ledger ledger;
  private final PartyAccounts accounts;
  private final Clock clock;

  public Escrow(Jdbi jdbi, Venues venues, Ledger ledger, PartyAccounts accounts, Clock clock) {
    this.jdbi = jdbi;
    this.venues = venues;
    this.ledger = ledger;
    this.accounts = accounts;
    this.clock = clock;
  }

  /**
   * Places the listing's holding deposit from the user's wallet into escrow, authorised by the
   * user's payment PIN. At most one tenant's deposit per listing is in escrow (a unique index).
   */
  public Reservation place(String appId, UUID userId, String requestId, UUID listingId,
      String pin) {
    Venue venue = venues.requireByApp(appId);
    Venues.requireKind(venue, VenueKind.PROPERTY);
    Check.requestId(requestId);
    Optional<Reservation> repeat = jdbi.withHandle(h -> ReservationStore.byRequest(h, appId,
        userId, requestId));
    if (repeat.isPresent()) {
      return repeat.get();
    }
    Inventory.Listing listing = venues.listing(venue, listingId);
    if (listing.depositFen() <= 0) {
      throw BookingException.invalid("this listing takes no deposit");
    }
    if (listing.depositTaken()) {
      throw new BookingException(BookingError.UNAVAILABLE, "another tenant's deposit holds this"
          + " listing");
    }
    if (pin == null || !pin.matches("[0-9]{6}") || !accounts.pinMatches(userId, pin)) {
      throw new BookingException(BookingError.PIN_REJECTED, "the payment PIN is wrong (or locked"
          + " after 5 wrong tries)");
    }
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    Reservation r = new Reservation(id, venue.id(), appId, userId, Reservation.Kind.DEPOSIT,
        requestId, Reservation.Status.HELD, listing.depositFen(), 1, listingId, now.plus(
            Duration.ofDays(venue.depositDays())), "Holding deposit · " + listing.title(),
        Reservations.outTradeNo(id), null, now.plus(Duration.ofDays(venue.depositDays())), now,
        null, null, null, 0, "NONE", Ids.next(), null, "SUBMITTING");
    try {
      boolean inserted = Sql.tx(jdbi, h -> ReservationStore.insert(h, r));
      if (!inserted) {
        return jdbi.withHandle(h -> ReservationStore.byRequest(h, appId, userId, requestId))
            .orElseThrow();
      }
    } catch (RuntimeException e) {
      if (isUniqueViolation(e)) {
        throw new BookingException(BookingError.UNAVAILABLE, "another tenant's deposit holds"
            + " this listing");
      }
      throw e;
    }
    return submitDeposit(r, venue);
  }

  private Reservation submitDeposit(Reservation r, Venue venue) {
    Transfer pending = Transfer.pending(r.depositTransferId(), accounts.walletOf(r.userId()),
        accounts.settlementOf(venue.merchantId()), r.amountFen(), BookingCodes.LEDGER_CNY,
        BookingCodes.TRANSFER_DEPOSIT_ESCROW, (int) Duration.ofDays(venue.depositDays())
            .toSeconds()).withUserData(r.id(), 0, 0);
    CreateTransferResult result;
    try {
      result = ledger.createTransfers(List.of(pending)).get(0);
    } catch (LedgerUnavailableException e) {
      throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the ledger did not answer;"
          + " the deposit will be settled shortly: look at the booking again", e);
    }
    Instant now = clock.instant();
    if (result.ok()) {
      return update(r.id(), "SUBMITTING", "PENDING", Reservation.Status.CONFIRMED, null, now);
    }
    update(r.id(), "SUBMITTING", "FAILED", Reservation.Status.RELEASED, "DEPOSIT_"
        + result.code().toUpperCase(), now);
    if (result == CreateTransferResult.EXCEEDS_CREDITS
        || result == CreateTransferResult.EXCEEDS_DEBITS) {
      throw new BookingException(BookingError.BALANCE_NOT_ENOUGH, "the wallet balance does not"
          + " cover the deposit; top up and try again with a new request id");
    }
    throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the ledger refused the"
        + " deposit (" + result.code() + ")");
  }

  /** The agency confirms the move-in: the deposit is posted to it. */
  public Reservation confirmMoveIn(Venue venue, UUID reservationId) {
    return finish(venue, reservationId, true, "MOVED_IN");
  }

  /** The tenant (or the agency) cancels: the deposit goes back to the tenant. */
  public Reservation cancel(String appId, UUID userId, UUID reservationId) {
    Reservation r = load(reservationId);
    if (!r.appId().equals(appId) || !r.userId().equals(userId)) {
      throw BookingException.notFound("no reservation " + reservationId);
    }
    return finish(venues.requireByApp(appId), reservationId, false, "CANCELLED_BY_USER");
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

  private Reservation submitEnd(Reservation r) {
    boolean post = "POSTING".equals(r.depositStatus());
    Transfer end = post ? Transfer.post(r.depositEndTransferId(), r.depositTransferId(), 0)
        : Transfer.voidPending(r.depositEndTransferId(), r.depositTransferId());
    CreateTransferResult result;
    try {
      result = ledger.createTransfers(List.of(end.withUserData(r.id(), 0, 0))).get(0);
    } catch (LedgerUnavailableException e) {
      throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the ledger did not answer;"
          + " it will be settled shortly", e);
    }
    Instant now = clock.instant();
    if (result.ok()) {
      return post
          ? update(r.id(), "POSTING", "POSTED", Reservation.Status.COMPLETED, r.endReason(), now)
          : update(r.id(), "VOIDING", "VOIDED", Reservation.Status.CANCELLED, r.endReason(), now);
    }
    if (result == CreateTransferResult.PENDING_TRANSFER_EXPIRED) {
      return update(r.id(), r.depositStatus(), "EXPIRED", Reservation.Status.RELEASED,
          "DEPOSIT_EXPIRED", now);
    }
    log.error("ledger refused to {} deposit {}: {}", post ? "post" : "void", r.id(), result);
    throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the ledger refused ("
        + result.code() + ")");
  }

  private Reservation update(UUID id, String fromDeposit, String toDeposit,
      Reservation.Status status, String reason, Instant now) {
    boolean ends = status != Reservation.Status.CONFIRMED;
    return Sql.tx(jdbi, h -> h.createQuery("UPDATE booking_reservation SET deposit_status = :to,"
            + " status = :status, confirmed_at = CASE WHEN :status = 'CONFIRMED' THEN :now"
            + " ELSE confirmed_at END, ended_at = CASE WHEN :ends THEN :now ELSE ended_at END,"
            + " end_reason = coalesce(:reason, end_reason)"
            + " WHERE id = :id AND deposit_status = :from RETURNING *")
        .bind("to", toDeposit).bind("status", status.name()).bind("now", Sql.at(now))
        .bind("ends", ends).bind("reason", reason).bind("id", Sql.id(id))
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
           AND ((deposit_status IN ('SUBMITTING', 'POSTING', 'VOIDING') AND created_at <= :inflight)
             OR (deposit_status = 'PENDING' AND expires_at <= :now))
         ORDER BY created_at LIMIT :n""")
        .bind("inflight", Sql.at(inFlightBefore)).bind("now", Sql.at(now)).bind("n", batchMax)
        .map((rs, ctx) -> ReservationStore.row(rs)).list());
    int changed = 0;
    for (Reservation r : due) {
      try {
        Reservation after = settle(r);
        changed += after.status() != r.status() || !after.depositStatus()
            .equals(r.depositStatus()) ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("deposit {} not settled now: {}", r.id(), e.getMessage());
      }
    }
    return changed;
  }

  private Reservation settle(Reservation r) {
    Venue venue = venues.requireByApp(r.appId());
    return switch (r.depositStatus()) {
      case "SUBMITTING" -> submitDeposit(r, venue); // the user confirmed it: roll it forward
      case "POSTING", "VOIDING" -> submitEnd(r);
      case "PENDING" -> expire(r);
      default -> r;
    };
  }

  /** Escrow time is over: the ledger has expired the transfer (or we void it now). */
  private Reservation expire(Reservation r) {
    Map<UUID, PendingStatus> status = ledger.pendingStatus(List.of(r.depositTransferId()));
    if (status.get(r.depositTransferId()) == PendingStatus.EXPIRED) {
      return update(r.id(), "PENDING", "EXPIRED", Reservation.Status.RELEASED, "DEPOSIT_EXPIRED",
          clock.instant());
    }
    return finish(venues.requireByApp(r.appId()), r.id(), false, "DEPOSIT_EXPIRED");
  }

  private static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
