package dev.hutong.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A merchant changing inventory it already opened: removing a showtime, changing its prices,
 * closing slots, withdrawing and re-listing a listing. Each is one transaction and idempotent (a
 * repeat answers the same). Units are closed ({@code closed_at}), never deleted: past
 * reservations still name them. A unit is closed only after locking it FOR UPDATE and only when
 * no claim names it, in the same statement; a hold's claim takes only open units and waits on
 * that lock (see {@link ReservationStore#claim}), so a claimed unit is never closed and a closed
 * unit never claimed.
 */
public final class InventoryEdits {
  /** The longest range of slots one request closes. */
  public static final int CLOSE_DAYS_MAX = 31;

  /** A slot that was not closed because a hold or booking claims it. */
  public record Kept(UUID unitId, String resource, Instant startsAt, String status) {}

  /** What closing a range left: how many of its future slots are closed, and the ones kept. */
  public record Closed(int closed, List<Kept> kept) {}

  private final Jdbi jdbi;
  private final Clock clock;

  public InventoryEdits(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ cinema

  /**
   * Removes a showtime nobody holds seats on: its seats are closed and it is no longer listed.
   * Refused (WRONG_STATE, with the count) while any reservation holds, booked or used a seat.
   * Removing a removed showtime answers the same.
   */
  public void removeShowtime(Venue venue, UUID showtimeId) {
    Venues.requireKind(venue, VenueKind.CINEMA);
    Sql.tx(jdbi, h -> {
      boolean removed = lockShowtime(h, venue, showtimeId);
      if (removed) {
        return null;
      }
      // Lock the seats first: a hold writing its units waits here, or we wait for its commit
      // and then count its claim.
      h.createQuery("SELECT id FROM booking_unit WHERE showtime_id = :s ORDER BY id FOR UPDATE")
          .bind("s", Sql.id(showtimeId)).mapTo(UUID.class).list();
      int live = h.createQuery("SELECT count(DISTINCT c.reservation_id) FROM booking_claim c"
              + " JOIN booking_unit u ON u.id = c.unit_id WHERE u.showtime_id = :s")
          .bind("s", Sql.id(showtimeId)).mapTo(Integer.class).one();
      if (live > 0) {
        throw new BookingException(BookingError.WRONG_STATE, live == 1
            ? "1 booking holds seats on this showtime; cancel it first"
            : live + " bookings hold seats on this showtime; cancel them first");
      }
      Instant now = now();
      h.createUpdate("UPDATE booking_unit u SET closed_at = :now WHERE u.showtime_id = :s"
              + " AND u.closed_at IS NULL"
              + " AND NOT EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id)")
          .bind("now", Sql.at(now)).bind("s", Sql.id(showtimeId)).execute();
      return h.createUpdate("UPDATE booking_showtime SET removed_at = :now WHERE id = :s")
          .bind("now", Sql.at(now)).bind("s", Sql.id(showtimeId)).execute();
    });
  }

  /**
   * Sets a future showtime's price per seat class (fen) for new holds; reservations already made
   * keep the prices they were made at (booking_reservation_unit). Every seat class of the hall
   * needs a price and no other class may be named.
   */
  public Map<String, Long> changePrices(Venue venue, UUID showtimeId, Map<String, Long> pricesFen) {
    Venues.requireKind(venue, VenueKind.CINEMA);
    if (pricesFen == null || pricesFen.isEmpty()) {
      throw BookingException.invalid("prices are required, like {\"S\": \"45.00\"}");
    }
    pricesFen.forEach((k, v) -> Check.range("price of class " + k, v, 1, 100_000_00L));
    Map<String, Long> prices = new TreeMap<>(pricesFen);
    return Sql.tx(jdbi, h -> {
      if (lockShowtime(h, venue, showtimeId)) {
        throw new BookingException(BookingError.WRONG_STATE, "this showtime was removed");
      }
      Instant starts = h.createQuery("SELECT starts_at FROM booking_showtime WHERE id = :s")
          .bind("s", Sql.id(showtimeId)).map((rs, ctx) -> Sql.instant(rs, "starts_at")).one();
      if (!starts.isAfter(clock.instant())) {
        throw new BookingException(BookingError.WRONG_STATE, "this showtime has started: its"
            + " prices can no longer change");
      }
      List<String> classes = h.createQuery("SELECT DISTINCT r.seat_class FROM booking_resource r"
              + " JOIN booking_showtime s ON s.hall_id = r.hall_id WHERE s.id = :s"
              + " ORDER BY r.seat_class").bind("s", Sql.id(showtimeId)).mapTo(String.class).list();
      if (!classes.equals(List.copyOf(prices.keySet()))) {
        throw BookingException.invalid("prices name exactly the hall's seat classes "
            + classes + ", got " + prices.keySet());
      }
      String json = Venues.write(prices);
      h.createUpdate("UPDATE booking_showtime SET prices = CAST(:p AS jsonb) WHERE id = :s")
          .bind("p", json).bind("s", Sql.id(showtimeId)).execute();
      h.createUpdate("UPDATE booking_unit u SET price_fen = (CAST(:p AS jsonb) ->> r.seat_class)"
              + "::bigint FROM booking_resource r WHERE r.id = u.resource_id"
              + " AND u.showtime_id = :s")
          .bind("p", json).bind("s", Sql.id(showtimeId)).execute();
      return prices;
    });
  }

  /** Locks the venue's showtime row; true when it was already removed. */
  private static boolean lockShowtime(Handle h, Venue venue, UUID showtimeId) {
    return h.createQuery("SELECT removed_at IS NOT NULL FROM booking_showtime WHERE id = :s"
            + " AND venue_id = :v FOR UPDATE")
        .bind("s", Sql.id(showtimeId)).bind("v", Sql.id(venue.id())).mapTo(Boolean.class)
        .findOne().orElseThrow(() -> BookingException.notFound("no showtime " + showtimeId
            + " in this venue"));
  }

  // ------------------------------------------------------------------ restaurant and agents

  /**
   * Closes the future slots starting in [from, to) of one table or agent ({@code resourceId}) or
   * of all of them (null). Slots a hold or booking claims stay open and are reported as kept.
   */
  public Closed closeSlots(Venue venue, Instant from, Instant to, UUID resourceId) {
    if (venue.kind() == VenueKind.CINEMA) {
      throw BookingException.invalid("a cinema removes showtimes, not slots");
    }
    if (from == null || to == null || !from.isBefore(to)) {
      throw BookingException.invalid("from must be before to");
    }
    if (Duration.between(from, to).compareTo(Duration.ofDays(CLOSE_DAYS_MAX)) > 0) {
      throw BookingException.invalid("a range to close is at most " + CLOSE_DAYS_MAX + " days");
    }
    Instant start = from.isAfter(clock.instant()) ? from : clock.instant();
    return Sql.tx(jdbi, h -> {
      requireResource(h, venue, resourceId);
      String range = " FROM booking_unit u JOIN booking_resource r ON r.id = u.resource_id"
          + " WHERE u.venue_id = :v AND r.kind <> 'SEAT' AND u.starts_at >= :from"
          + " AND u.starts_at < :to AND (CAST(:res AS uuid) IS NULL OR r.id = :res)";
      h.createQuery("SELECT u.id" + range + " AND u.closed_at IS NULL ORDER BY u.id"
              + " FOR UPDATE OF u")
          .bind("v", Sql.id(venue.id())).bind("from", Sql.at(start)).bind("to", Sql.at(to))
          .bind("res", Sql.id(resourceId)).mapTo(UUID.class).list();
      h.createUpdate("UPDATE booking_unit SET closed_at = :now WHERE id IN (SELECT u.id" + range
              + " AND u.closed_at IS NULL"
              + " AND NOT EXISTS (SELECT 1 FROM booking_claim c WHERE c.unit_id = u.id))")
          .bind("now", Sql.at(now())).bind("v", Sql.id(venue.id())).bind("from", Sql.at(start))
          .bind("to", Sql.at(to)).bind("res", Sql.id(resourceId)).execute();
      int closed = h.createQuery("SELECT count(*)" + range + " AND u.closed_at IS NOT NULL")
          .bind("v", Sql.id(venue.id())).bind("from", Sql.at(start)).bind("to", Sql.at(to))
          .bind("res", Sql.id(resourceId)).mapTo(Integer.class).one();
      List<Kept> kept = h.createQuery("SELECT u.id, r.label, u.starts_at, b.status"
              + range.replace(" WHERE ", " JOIN booking_claim c ON c.unit_id = u.id"
                  + " JOIN booking_reservation b ON b.id = c.reservation_id WHERE ")
              + " ORDER BY u.starts_at, r.label LIMIT " + VenueDesk.SLOTS_MAX)
          .bind("v", Sql.id(venue.id())).bind("from", Sql.at(start)).bind("to", Sql.at(to))
          .bind("res", Sql.id(resourceId))
          .map((rs, ctx) -> new Kept(Sql.uuid(rs, "id"), rs.getString("label"),
              Sql.instant(rs, "starts_at"), rs.getString("status"))).list();
      return new Closed(closed, kept);
    });
  }

  private static void requireResource(Handle h, Venue venue, UUID resourceId) {
    if (resourceId == null) {
      return;
    }
    int found = h.createQuery("SELECT count(*) FROM booking_resource WHERE id = :r"
            + " AND venue_id = :v AND kind <> 'SEAT'")
        .bind("r", Sql.id(resourceId)).bind("v", Sql.id(venue.id())).mapTo(Integer.class).one();
    if (found == 0) {
      throw BookingException.notFound("no table or agent " + resourceId + " in this venue");
    }
  }

  // ------------------------------------------------------------------ property

  /**
   * Withdraws a listing (true) or lists it again (false): a withdrawn listing is not shown to
   * users and takes no new viewings or deposits; its reservations and escrow are untouched.
   */
  public void setWithdrawn(Venue venue, UUID listingId, boolean withdrawn) {
    Venues.requireKind(venue, VenueKind.PROPERTY);
    int changed = Sql.tx(jdbi, h -> h.createUpdate("UPDATE booking_listing SET withdrawn_at ="
            + " CASE WHEN :w THEN coalesce(withdrawn_at, :now) END"
            + " WHERE id = :id AND venue_id = :v")
        .bind("w", withdrawn).bind("now", Sql.at(now())).bind("id", Sql.id(listingId))
        .bind("v", Sql.id(venue.id())).execute());
    if (changed == 0) {
      throw BookingException.notFound("no listing " + listingId + " in this venue");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
