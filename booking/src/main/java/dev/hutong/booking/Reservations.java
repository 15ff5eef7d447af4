package dev.hutong.booking;

import dev.hutong.pay.CreateTradeRequest;
import dev.hutong.pay.RefundRequest;
import dev.hutong.pay.Trade;
import dev.hutong.pay.TradeError;
import dev.hutong.pay.TradeException;
import dev.hutong.pay.TradeRef;
import dev.hutong.pay.TradeService;
import dev.hutong.pay.TradeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds, bookings and cancellations of seats, tables and viewings.
 *
 * <p>How money and inventory stay in step: a hold, its trade (out_trade_no derived from the hold's
 * id, timeout = the venue's hold minutes) and its claims (booking_claim, whose primary key refuses
 * a second claim) are one transaction, so neither exists without the other. The hold learns the trade's fate by asking the payments
 * core ({@link TradeService#query}, which also closes an expired unpaid trade): TRADE_SUCCESS
 * confirms it; TRADE_CLOSED releases its units. Units are released ONLY after the trade is
 * closed, so a paid trade always finds its seats still held. {@link #sync} is called when the app
 * asks after paying, and by {@link BookingJobs} for every hold past its expiry (and once at start,
 * before traffic, so a crash anywhere is repaired).
 */
public final class Reservations {
  private static final Logger log = LoggerFactory.getLogger(Reservations.class);
  /** Seats one hold may take. */
  public static final int SEATS_PER_HOLD_MAX = 8;
  /** A hold without its trade this long after creation was left by a crash. */
  static final Duration UNATTACHED_GRACE = Duration.ofSeconds(60);
  static final String CANCEL_REFUND_NO = "booking-cancel";
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm")
      .withZone(ZONE);
  public static final int LIST_MAX = 200;

  private final Jdbi jdbi;
  private final Venues venues;
  private final TradeService trades;
  private final Clock clock;
  /** Answers a rush's attempts on seats already claimed here without the database. */
  private final TakenSeats known = new TakenSeats();

  public Reservations(Jdbi jdbi, Venues venues, TradeService trades, Clock clock) {
    this.jdbi = jdbi;
    this.venues = venues;
    this.trades = trades;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ placing holds

  /** Holds seats of one showtime for 15 minutes (the venue's hold time) and opens their trade. */
  public Reservation holdSeats(String appId, UUID userId, String requestId, List<UUID> unitIds) {
    Venue venue = venues.requireByApp(appId);
    Venues.requireKind(venue, VenueKind.CINEMA);
    Check.requestId(requestId);
    UUID[] ids = distinct(unitIds, SEATS_PER_HOLD_MAX);
    if (known.takenByOther(venue.id(), ids, userId, requestId)) {
      throw taken(Reservation.Kind.SEATS);
    }
    // One read answers most requests of a rush: the seats, and whether they are taken.
    List<Venues.UnitRow> units = jdbi.withHandle(h -> Venues.units(h, venue.id(), ids));
    if (units.stream().anyMatch(Venues.UnitRow::taken)) {
      return repeat(appId, userId, requestId, Reservation.Kind.SEATS)
          .orElseThrow(() -> taken(Reservation.Kind.SEATS));
    }
    if (units.size() != ids.length) {
      throw BookingException.notFound("some seats are not seats of this cinema");
    }
    if (units.stream().map(Venues.UnitRow::showtimeId).distinct().count() != 1) {
      throw BookingException.invalid("a hold takes seats of one showtime");
    }
    Venues.UnitRow first = units.get(0);
    requireFuture(first.startsAt());
    long amount = units.stream().mapToLong(Venues.UnitRow::priceFen).sum();
    String summary = first.film() + " · " + WHEN.format(first.startsAt()) + " · "
        + units.stream().map(Venues.UnitRow::label).collect(Collectors.joining(", "));
    return place(venue, userId, requestId, Reservation.Kind.SEATS, units, amount, 1, null,
        first.startsAt(), summary);
  }

  /** Books the smallest free table that seats the party at {@code startsAt}. */
  public Reservation reserveTable(String appId, UUID userId, String requestId, Instant startsAt,
      int party) {
    Venue venue = venues.requireByApp(appId);
    Venues.requireKind(venue, VenueKind.RESTAURANT);
    Check.requestId(requestId);
    Optional<Reservation> repeat = repeat(appId, userId, requestId, Reservation.Kind.TABLE);
    if (repeat.isPresent()) {
      return repeat.get();
    }
    Check.range("party", party, venue.partyMin(), venue.partyMax());
    if (startsAt == null) {
      throw BookingException.invalid("time is required");
    }
    requireFuture(startsAt);
    if (startsAt.isAfter(clock.instant().plus(Duration.ofDays(venue.daysAhead())))) {
      throw BookingException.invalid("tables can be booked at most " + venue.daysAhead()
          + " days ahead");
    }
    List<UUID> candidates = jdbi.withHandle(h -> h.createQuery("""
        SELECT u.id FROM booking_unit u JOIN booking_resource r ON r.id = u.resource_id
         WHERE u.venue_id = :v AND u.starts_at = :t AND r.kind = 'TABLE' AND r.capacity >= :p
           AND u.closed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id)
         ORDER BY r.capacity, r.label LIMIT 8""")
        .bind("v", Sql.id(venue.id())).bind("t", Sql.at(startsAt)).bind("p", party)
        .mapTo(UUID.class).list());
    long amount = venue.prepayPerPerson() * party;
    for (UUID candidate : candidates) {
      List<Venues.UnitRow> units = jdbi.withHandle(h -> Venues.units(h, venue.id(),
          new UUID[] {candidate}));
      String summary = "Table " + units.get(0).label() + " · " + party
          + (party == 1 ? " guest · " : " guests · ") + WHEN.format(startsAt);
      try {
        return place(venue, userId, requestId, Reservation.Kind.TABLE, units, amount, party,
            null, startsAt, summary);
      } catch (BookingException e) {
        if (e.error() != BookingError.UNAVAILABLE) {
          throw e;
        }
        // Someone took this table a moment ago: try the next one.
      }
    }
    throw new BookingException(BookingError.UNAVAILABLE, "no table for " + party
        + " is free at that time; pick another time");
  }

  /** Books an agent's viewing slot for a listing (free of charge: confirmed at once). */
  public Reservation bookViewing(String appId, UUID userId, String requestId, UUID slotUnitId,
      UUID listingId) {
    Venue venue = venues.requireByApp(appId);
    Venues.requireKind(venue, VenueKind.PROPERTY);
    Check.requestId(requestId);
    Optional<Reservation> repeat = repeat(appId, userId, requestId, Reservation.Kind.VIEWING);
    if (repeat.isPresent()) {
      return repeat.get();
    }
    if (slotUnitId == null || listingId == null) {
      throw BookingException.invalid("slot and listing are required");
    }
    Inventory.Listing listing = requireListed(venues.listing(venue, listingId));
    List<Venues.UnitRow> units = jdbi.withHandle(h -> Venues.units(h, venue.id(),
        new UUID[] {slotUnitId}));
    if (units.isEmpty()) {
      throw BookingException.notFound("no viewing slot " + slotUnitId);
    }
    requireFuture(units.get(0).startsAt());
    String summary = "Viewing · " + listing.title() + " · " + WHEN.format(units.get(0).startsAt())
        + " with " + units.get(0).label();
    return place(venue, userId, requestId, Reservation.Kind.VIEWING, units, 0, 1, listingId,
        units.get(0).startsAt(), summary);
  }

  /**
   * A listing's holding deposit: held like any booking, with a trade of the deposit's amount the
   * tenant pays in the shell's cashier with the PIN ({@code my.tradePay}; the page never sees the
   * PIN). When the trade is paid the hold is confirmed and {@link Escrow} puts the money in escrow.
   * At most one live deposit per listing (a unique index).
   */
  public Reservation holdDeposit(String appId, UUID userId, String requestId, UUID listingId) {
    Venue venue = venues.requireByApp(appId);
    Venues.requireKind(venue, VenueKind.PROPERTY);
    Check.requestId(requestId);
    Optional<Reservation> repeat = repeat(appId, userId, requestId, Reservation.Kind.DEPOSIT);
    if (repeat.isPresent()) {
      return repeat.get();
    }
    Inventory.Listing listing = requireListed(venues.listing(venue, listingId));
    if (listing.depositFen() <= 0) {
      throw BookingException.invalid("this listing takes no deposit");
    }
    if (listing.depositTaken()) {
      throw depositTaken();
    }
    Instant now = now();
    UUID id = UUID.randomUUID();
    Reservation r = new Reservation(id, venue.id(), appId, userId, Reservation.Kind.DEPOSIT,
        requestId, Reservation.Status.HELD, listing.depositFen(), 1, listingId,
        now.plus(Duration.ofDays(venue.depositDays())), "Holding deposit · " + listing.title(),
        outTradeNo(id), null, now.plus(Duration.ofMinutes(venue.holdMinutes())), now, null, null,
        null, 0, "NONE", dev.hutong.ledger.Ids.next(), null, null);
    Written written;
    try {
      written = write(venue, r, List.of());
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw depositTaken(); // another live deposit holds the listing: nothing was written
      }
      throw e;
    }
    return written.same() != null ? sync(written.same()) : written.placed();
  }

  /** A withdrawn listing takes no new viewings or deposits (existing ones stand). */
  private static Inventory.Listing requireListed(Inventory.Listing listing) {
    if (listing.withdrawn()) {
      throw new BookingException(BookingError.WRONG_STATE, "the agency has withdrawn this"
          + " listing: it takes no new viewings or deposits");
    }
    return listing;
  }

  private static BookingException depositTaken() {
    return new BookingException(BookingError.UNAVAILABLE, "another tenant's deposit holds this"
        + " listing");
  }

  private Optional<Reservation> repeat(String appId, UUID userId, String requestId,
      Reservation.Kind kind) {
    Optional<Reservation> r = jdbi.withHandle(h -> ReservationStore.byRequest(h, appId, userId,
        requestId));
    if (r.isPresent() && r.get().kind() != kind) {
      throw BookingException.invalid("request_id " + requestId + " was used for another"
          + " booking; use a new one per attempt");
    }
    return r.map(this::sync);
  }

  private static UUID[] distinct(List<UUID> ids, int max) {
    if (ids == null || ids.isEmpty()) {
      throw BookingException.invalid("choose at least one seat");
    }
    if (ids.size() > max) {
      throw BookingException.invalid("at most " + max + " seats per booking");
    }
    LinkedHashSet<UUID> set = new LinkedHashSet<>(ids);
    if (set.contains(null) || set.size() != ids.size()) {
      throw BookingException.invalid("seats must be distinct");
    }
    return set.toArray(UUID[]::new);
  }

  private void requireFuture(Instant startsAt) {
    if (!startsAt.isAfter(clock.instant())) {
      throw BookingException.invalid("that has already started; pick a later time");
    }
  }

  /**
   * Writes the reservation, its units, their claims and (unless it is free) its trade in ONE
   * transaction: all or none, one commit. A hold therefore never exists without its trade, nor a
   * trade without its hold, also across a crash. Free reservations are confirmed at once.
   */
  private Reservation place(Venue venue, UUID userId, String requestId, Reservation.Kind kind,
      List<Venues.UnitRow> units, long amount, int party, UUID listingId, Instant startsAt,
      String summary) {
    if (units.stream().anyMatch(Venues.UnitRow::taken)) { // read just before: lost already
      throw taken(kind);
    }
    Instant now = now();
    UUID id = UUID.randomUUID();
    boolean free = amount == 0;
    Reservation r = new Reservation(id, venue.id(), venue.appId(), userId, kind, requestId,
        free ? Reservation.Status.CONFIRMED : Reservation.Status.HELD, amount, party, listingId,
        startsAt, summary, outTradeNo(id), null,
        free ? startsAt : now.plus(Duration.ofMinutes(venue.holdMinutes())), now,
        free ? now : null, null, null, 0, "NONE", null, null, null);
    long generation = known.generation();
    Written written = write(venue, r, units);
    if (written.same() != null) {
      return sync(written.same()); // the same request, concurrently: one reservation
    }
    known.remember(generation, venue.id(), units.stream().map(Venues.UnitRow::id)
        .toArray(UUID[]::new), userId, requestId);
    return written.placed();
  }

  /** What {@link #write} did: placed the reservation, or found the same request's. */
  private record Written(Reservation placed, Reservation same) {}

  /** The same (app, user, request id) committed first: roll this one back, answer with that. */
  private static final class SameRequest extends RuntimeException {
    SameRequest() {
      super(null, null, false, false);
    }
  }

  /**
   * One transaction, one commit: the trade (if {@code r} costs anything), the reservation with its
   * trade number, its units, and last their claims, so that a claim's lock, which a rush's racing
   * loser waits on, is held only until the commit. Anything thrown rolls all of it back; a trade
   * the payments core refuses leaves nothing held.
   */
  private Written write(Venue venue, Reservation r, List<Venues.UnitRow> units) {
    UUID[] ids = units.stream().map(Venues.UnitRow::id).toArray(UUID[]::new);
    try {
      return new Written(Sql.tx(jdbi, h -> {
        Reservation withTrade = r.amountFen() == 0 ? r
            : r.withTradeNo(trades.createWithin(h, tradeRequest(venue, r)).tradeNo());
        if (!ReservationStore.insert(h, withTrade)) {
          throw new SameRequest();
        }
        if (ids.length > 0) {
          ReservationStore.addUnits(h, r.id(), units);
          if (ReservationStore.claim(h, r.id(), ids) != ids.length) {
            throw taken(r.kind()); // rolls the whole transaction back: nothing was claimed
          }
        }
        return withTrade;
      }), null);
    } catch (SameRequest e) {
      return new Written(null, jdbi.withHandle(h -> ReservationStore.byRequest(h, r.appId(),
          r.userId(), r.requestId())).orElseThrow());
    } catch (TradeException e) {
      throw new BookingException(BookingError.UNAVAILABLE_BACKEND, "the payment could not be"
          + " opened (" + e.subCode() + "); nothing was held, try again", e);
    }
  }

  /** The clock to the microsecond, as the database keeps it: a reservation built in memory
   * reads back equal, so the writer can answer without reading its row again. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static BookingException taken(Reservation.Kind kind) {
    return new BookingException(BookingError.UNAVAILABLE, switch (kind) {
      case SEATS -> "someone else has just taken one of these seats; choose others";
      case TABLE -> "that table was just taken";
      default -> "that slot was just taken; choose another";
    });
  }

  /** "BK" and the id's hex: unique per app, and found again from the id alone. */
  static String outTradeNo(UUID id) {
    return "BK" + id.toString().replace("-", "");
  }

  private static CreateTradeRequest tradeRequest(Venue venue, Reservation r) {
    return new CreateTradeRequest(venue.appId(), venue.merchantId(), r.outTradeNo(),
        r.amountFen(), truncate(venue.name() + " · " + r.summary(), 256), null, r.userId(), false,
        null, venue.holdMinutes() + "m", null, r.id().toString());
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  // ------------------------------------------------------------------ reading

  Reservation get(UUID id) {
    return jdbi.withHandle(h -> ReservationStore.byId(h, id))
        .orElseThrow(() -> BookingException.notFound("no reservation " + id));
  }

  /** The user's reservation in this app, brought up to date with its trade. */
  public Reservation mine(String appId, UUID userId, UUID id) {
    Reservation r = get(id);
    if (!r.appId().equals(appId) || !r.userId().equals(userId)) {
      throw BookingException.notFound("no reservation " + id);
    }
    return sync(r);
  }

  /** The user's reservations in this app, newest first. */
  public List<Reservation> listMine(String appId, UUID userId) {
    List<Reservation> list = jdbi.withHandle(h -> h.createQuery("SELECT * FROM booking_reservation"
            + " WHERE app_id = :a AND user_id = :u ORDER BY created_at DESC LIMIT " + LIST_MAX)
        .bind("a", appId).bind("u", Sql.id(userId)).map((rs, ctx) -> ReservationStore.row(rs))
        .list());
    return list.stream().map(r -> r.status() == Reservation.Status.HELD ? sync(r) : r).toList();
  }

  /** The venue's reservations, newest first (the merchant's view). */
  public List<Reservation> forVenue(Venue venue) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM booking_reservation"
            + " WHERE venue_id = :v ORDER BY created_at DESC LIMIT " + LIST_MAX)
        .bind("v", Sql.id(venue.id())).map((rs, ctx) -> ReservationStore.row(rs)).list());
  }

  // ------------------------------------------------------------------ following the trade

  /**
   * Brings a HELD reservation in step with its trade: paid → CONFIRMED; closed → RELEASED; unpaid
   * past the hold's expiry → the trade is closed, then RELEASED. Anything else is returned as is.
   */
  public Reservation sync(Reservation r) {
    if (!r.awaitingPayment()) {
      return r;
    }
    Instant now = clock.instant();
    String tradeNo = r.tradeNo() != null ? r.tradeNo() : attachTrade(r, now);
    if (tradeNo == null) {
      return get(r.id());
    }
    TradeRef ref = TradeRef.byTradeNo(r.appId(), tradeNo);
    Trade t = trades.query(ref);
    if (t.status() == TradeStatus.WAIT_BUYER_PAY && !now.isBefore(r.expiresAt())) {
      t = closeUnpaid(ref, t);
    }
    return switch (t.status()) {
      case TRADE_SUCCESS, TRADE_FINISHED -> confirm(r, now);
      case TRADE_CLOSED -> t.paidAt() != null
          ? endPaidAndRefunded(r, now)
          : release(r.id(), "TRADE_CLOSED");
      case WAIT_BUYER_PAY -> r;
    };
  }

  /** The hold has no trade_no: a crash came between the hold and its trade. */
  private String attachTrade(Reservation r, Instant now) {
    Optional<Trade> t;
    try {
      t = Optional.of(trades.query(TradeRef.byOutTradeNo(r.appId(), r.outTradeNo())));
    } catch (TradeException e) {
      if (e.error() != TradeError.TRADE_NOT_EXIST) {
        throw e;
      }
      t = Optional.empty();
    }
    if (t.isEmpty()) {
      if (now.isAfter(r.createdAt().plus(UNATTACHED_GRACE)) || !now.isBefore(r.expiresAt())) {
        release(r.id(), "NO_TRADE");
      }
      return null;
    }
    String tradeNo = t.get().tradeNo();
    Sql.tx(jdbi, h -> h.createUpdate("UPDATE booking_reservation SET trade_no = :t WHERE id = :id"
        + " AND trade_no IS NULL").bind("t", tradeNo).bind("id", Sql.id(r.id())).execute());
    return tradeNo;
  }

  private Trade closeUnpaid(TradeRef ref, Trade t) {
    try {
      return trades.close(ref);
    } catch (TradeException e) {
      // Paid or being paid this very moment: the next look settles it.
      return trades.query(ref);
    }
  }

  /**
   * Paid: CONFIRMED. A deposit also becomes SUBMITTING (its escrow transfer is written by
   * {@link Escrow}, right after or by the jobs) and its escrow time starts now.
   */
  private Reservation confirm(Reservation r, Instant now) {
    Instant escrowEnds = r.kind() == Reservation.Kind.DEPOSIT
        ? now.plus(Duration.ofDays(venues.requireByApp(r.appId()).depositDays())) : r.expiresAt();
    return Sql.tx(jdbi, h -> h.createQuery("UPDATE booking_reservation SET status = 'CONFIRMED',"
            + " confirmed_at = :now, expires_at = :expires, deposit_status = CASE WHEN kind ="
            + " 'DEPOSIT' THEN 'SUBMITTING' ELSE deposit_status END"
            + " WHERE id = :id AND status = 'HELD' RETURNING *")
        .bind("now", Sql.at(now)).bind("expires", Sql.at(escrowEnds)).bind("id", Sql.id(r.id()))
        .map((rs, ctx) -> ReservationStore.row(rs)).findOne()
        .orElseGet(() -> ReservationStore.byId(h, r.id()).orElseThrow()));
  }

  /** The merchant refunded the whole trade before the hold saw it paid: it ends cancelled. */
  private Reservation endPaidAndRefunded(Reservation r, Instant now) {
    return Sql.tx(jdbi, h -> ReservationStore.end(h, r.id(), Reservation.Status.HELD,
            Reservation.Status.CANCELLED, "REFUNDED_BY_MERCHANT", now, known::forget)
        .orElseGet(() -> ReservationStore.byId(h, r.id()).orElseThrow()));
  }

  Reservation release(UUID id, String reason) {
    return Sql.tx(jdbi, h -> ReservationStore.end(h, id, Reservation.Status.HELD,
            Reservation.Status.RELEASED, reason, clock.instant(), known::forget)
        .orElseGet(() -> ReservationStore.byId(h, id).orElseThrow()));
  }

  // ------------------------------------------------------------------ cancelling

  /**
   * The user cancels. A hold: its trade is closed and the units released. A paid booking before
   * it starts: the venue's policy decides the fee, the rest is refunded through the payments core
   * (idempotent; if it fails now it stays PENDING and the jobs retry it).
   */
  public Reservation cancel(String appId, UUID userId, UUID id) {
    Reservation r = mine(appId, userId, id);
    if (r.kind() == Reservation.Kind.DEPOSIT && r.status() != Reservation.Status.HELD) {
      throw new BookingException(BookingError.WRONG_STATE, "a paid deposit is cancelled through"
          + " its escrow (Escrow.cancel)");
    }
    if (r.status() == Reservation.Status.HELD) {
      r = cancelHold(r);
      if (r.status() != Reservation.Status.CONFIRMED) {
        return r;
      }
    }
    return cancelConfirmed(r, "CANCELLED_BY_USER");
  }

  private Reservation cancelHold(Reservation r) {
    if (r.tradeNo() != null) {
      TradeRef ref = TradeRef.byTradeNo(r.appId(), r.tradeNo());
      Trade t = closeUnpaid(ref, trades.query(ref));
      if (t.status().paid()) {
        return confirm(r, clock.instant()); // paid just now: cancel it as a booking
      }
      if (t.status() == TradeStatus.WAIT_BUYER_PAY) {
        throw new BookingException(BookingError.WRONG_STATE, "a payment of this hold is in"
            + " progress; try again in a moment");
      }
    }
    return Sql.tx(jdbi, h -> ReservationStore.end(h, r.id(), Reservation.Status.HELD,
            Reservation.Status.CANCELLED, "CANCELLED_BY_USER", clock.instant(), known::forget)
        .orElseGet(() -> ReservationStore.byId(h, r.id()).orElseThrow()));
  }

  /** Cancels a confirmed booking (user or merchant), refunding what the policy allows. */
  Reservation cancelConfirmed(Reservation r, String reason) {
    if (r.status() != Reservation.Status.CONFIRMED) {
      throw new BookingException(BookingError.WRONG_STATE, "this reservation is "
          + r.status().name().toLowerCase() + "; only a held or confirmed one can be cancelled");
    }
    Instant now = clock.instant();
    if (!now.isBefore(r.startsAt())) {
      throw new BookingException(BookingError.WRONG_STATE, "it has already started");
    }
    Venue venue = venues.requireByApp(r.appId());
    long fee = "CANCELLED_BY_MERCHANT".equals(reason) ? 0
        : venue.cancellationFee(r.amountFen(), Duration.between(now, r.startsAt()).toHours());
    long refund = r.amountFen() - fee;
    Reservation cancelled = Sql.tx(jdbi, h -> {
      Optional<Reservation> ended = ReservationStore.end(h, r.id(), Reservation.Status.CONFIRMED,
          Reservation.Status.CANCELLED, reason, now, known::forget);
      if (ended.isEmpty()) {
        throw new BookingException(BookingError.WRONG_STATE, "it changed meanwhile; reload it");
      }
      return h.createQuery("UPDATE booking_reservation SET refund_fen = :f, refund_status = :s"
              + " WHERE id = :id RETURNING *")
          .bind("f", refund).bind("s", refund > 0 ? "PENDING" : "NONE").bind("id", Sql.id(r.id()))
          .map((rs, ctx) -> ReservationStore.row(rs)).one();
    });
    return refund > 0 ? refund(cancelled) : cancelled;
  }

  /** The reservation's paid trade (Escrow needs its fee: the agency received the rest). */
  Trade trade(Reservation r) {
    return trades.query(TradeRef.byTradeNo(r.appId(), r.tradeNo()));
  }

  /** Pays a PENDING refund back through the trade; idempotent by out_request_no. */
  Reservation refund(Reservation r) {
    try {
      trades.refund(new RefundRequest(TradeRef.byTradeNo(r.appId(), r.tradeNo()), r.refundFen(),
          CANCEL_REFUND_NO, "booking cancelled"));
    } catch (TradeException e) {
      log.warn("refund of reservation {} postponed: {} {}", r.id(), e.subCode(), e.getMessage());
      return r;
    }
    return Sql.tx(jdbi, h -> h.createQuery("UPDATE booking_reservation SET refund_status = 'DONE'"
            + " WHERE id = :id RETURNING *").bind("id", Sql.id(r.id()))
        .map((rs, ctx) -> ReservationStore.row(rs)).one());
  }

  // ------------------------------------------------------------------ the merchant

  /** The merchant's reservation (of its venue), or NOT_FOUND. */
  public Reservation ofVenue(Venue venue, UUID id) {
    Reservation r = get(id);
    if (!r.venueId().equals(venue.id())) {
      throw BookingException.notFound("no reservation " + id + " at this venue");
    }
    return sync(r);
  }

  /** The guest came (restaurant: the prepayment is used at the table; viewing: it happened). */
  public Reservation complete(Venue venue, UUID id) {
    Reservation r = ofVenue(venue, id);
    if (r.kind() == Reservation.Kind.DEPOSIT) {
      throw new BookingException(BookingError.WRONG_STATE, "a deposit completes with the"
          + " move-in confirmation (Escrow.confirmMoveIn)");
    }
    return Sql.tx(jdbi, h -> ReservationStore.end(h, r.id(), Reservation.Status.CONFIRMED,
            Reservation.Status.COMPLETED, "COMPLETED", clock.instant(), known::forget))
        .orElseThrow(() -> new BookingException(BookingError.WRONG_STATE, "only a confirmed"
            + " booking can be completed; this one is " + r.status()));
  }

  /** The merchant cancels a confirmed booking: the whole amount is refunded. */
  public Reservation cancelByMerchant(Venue venue, UUID id) {
    return cancelConfirmed(ofVenue(venue, id), "CANCELLED_BY_MERCHANT");
  }

  // ------------------------------------------------------------------ jobs

  /**
   * One pass of the background work: holds past expiry (or without their trade) are settled with
   * their trades, and owed refunds are retried. Bounded by {@code batchMax} each.
   *
   * @return how many reservations changed state or were refunded
   */
  public int sweep(int batchMax, boolean atStart) {
    Instant now = clock.instant();
    Instant unattachedBefore = atStart ? now : now.minus(UNATTACHED_GRACE);
    // Expired and unattached holds first, then the least recently checked ones (a trade paid
    // while its app was closed, or before a crash, is confirmed without waiting for the app).
    List<Reservation> due = jdbi.withHandle(h -> h.createQuery("""
        SELECT * FROM booking_reservation WHERE status = 'HELD'
           AND (expires_at <= :now OR created_at <= :unattached)
         ORDER BY (expires_at <= :now OR trade_no IS NULL) DESC, checked_at NULLS FIRST
         LIMIT :n""")
        .bind("now", Sql.at(now)).bind("unattached", Sql.at(unattachedBefore))
        .bind("n", batchMax).map((rs, ctx) -> ReservationStore.row(rs)).list());
    int changed = 0;
    for (Reservation r : due) {
      try {
        Reservation after = atStart && r.tradeNo() == null ? syncAtStart(r) : sync(r);
        changed += after.status() != r.status() ? 1 : 0;
        if (after.status() == Reservation.Status.HELD) {
          Sql.tx(jdbi, h -> h.createUpdate("UPDATE booking_reservation SET checked_at = :now"
              + " WHERE id = :id").bind("now", Sql.at(now)).bind("id", Sql.id(r.id())).execute());
        }
      } catch (RuntimeException e) {
        log.warn("could not settle hold {} now: {}", r.id(), e.getMessage());
      }
    }
    List<Reservation> owed = jdbi.withHandle(h -> h.createQuery("SELECT * FROM"
            + " booking_reservation WHERE refund_status = 'PENDING' ORDER BY ended_at LIMIT :n")
        .bind("n", batchMax).map((rs, ctx) -> ReservationStore.row(rs)).list());
    for (Reservation r : owed) {
      changed += "DONE".equals(refund(r).refundStatus()) ? 1 : 0;
    }
    return changed;
  }

  /** At start nothing is in flight: an unattached hold without a trade is released at once. */
  private Reservation syncAtStart(Reservation r) {
    Reservation shifted = new Reservation(r.id(), r.venueId(), r.appId(), r.userId(), r.kind(),
        r.requestId(), r.status(), r.amountFen(), r.partySize(), r.listingId(), r.startsAt(),
        r.summary(), r.outTradeNo(), r.tradeNo(), r.expiresAt(),
        r.createdAt().minus(UNATTACHED_GRACE).minusSeconds(1), r.confirmedAt(), r.endedAt(),
        r.endReason(), r.refundFen(), r.refundStatus(), r.depositTransferId(),
        r.depositEndTransferId(), r.depositStatus());
    return sync(shifted);
  }
}
