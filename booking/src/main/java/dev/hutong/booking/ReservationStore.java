package dev.hutong.booking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** SQL of reservations and claims. */
final class ReservationStore {
  private ReservationStore() {}

  static Reservation row(ResultSet rs) throws SQLException {
    return new Reservation(Sql.uuid(rs, "id"), Sql.uuid(rs, "venue_id"), rs.getString("app_id"),
        Sql.uuid(rs, "user_id"), Reservation.Kind.valueOf(rs.getString("kind")),
        rs.getString("request_id"), Reservation.Status.valueOf(rs.getString("status")),
        rs.getLong("amount_fen"), rs.getInt("party_size"), Sql.uuid(rs, "listing_id"),
        Sql.instant(rs, "starts_at"), rs.getString("summary"), rs.getString("out_trade_no"),
        rs.getString("trade_no"), Sql.instant(rs, "expires_at"), Sql.instant(rs, "created_at"),
        Sql.instant(rs, "confirmed_at"), Sql.instant(rs, "ended_at"), rs.getString("end_reason"),
        rs.getLong("refund_fen"), rs.getString("refund_status"),
        Sql.uuid(rs, "deposit_transfer_id"), Sql.uuid(rs, "deposit_end_transfer_id"),
        rs.getString("deposit_status"));
  }

  static Optional<Reservation> byId(Handle h, UUID id) {
    return h.createQuery("SELECT * FROM booking_reservation WHERE id = :id").bind("id", Sql.id(id))
        .map((rs, ctx) -> row(rs)).findOne();
  }

  static Optional<Reservation> lock(Handle h, UUID id) {
    return h.createQuery("SELECT * FROM booking_reservation WHERE id = :id FOR UPDATE")
        .bind("id", Sql.id(id)).map((rs, ctx) -> row(rs)).findOne();
  }

  static Optional<Reservation> byRequest(Handle h, String appId, UUID userId, String requestId) {
    return h.createQuery("SELECT * FROM booking_reservation WHERE app_id = :a AND user_id = :u"
            + " AND request_id = :r").bind("a", appId).bind("u", Sql.id(userId))
        .bind("r", requestId).map((rs, ctx) -> row(rs)).findOne();
  }

  /** Inserts the reservation; false when the (app, user, request id) exists already. */
  static boolean insert(Handle h, Reservation r) {
    return h.createUpdate("""
        INSERT INTO booking_reservation (id, venue_id, app_id, user_id, kind, request_id, status,
          amount_fen, party_size, listing_id, starts_at, summary, out_trade_no, trade_no,
          expires_at, created_at, confirmed_at, deposit_transfer_id, deposit_status)
        VALUES (:id, :venue, :app, :user, :kind, :req, :status, :amount, :party, :listing,
          :starts, :summary, :out, :tradeNo, :expires, :created, :confirmed, :dep, :depStatus)
        ON CONFLICT (app_id, user_id, request_id) DO NOTHING""")
        .bind("id", Sql.id(r.id())).bind("venue", Sql.id(r.venueId())).bind("app", r.appId())
        .bind("user", Sql.id(r.userId())).bind("kind", r.kind().name())
        .bind("req", r.requestId()).bind("status", r.status().name())
        .bind("amount", r.amountFen()).bind("party", r.partySize())
        .bind("listing", Sql.id(r.listingId())).bind("starts", Sql.at(r.startsAt()))
        .bind("summary", r.summary()).bind("out", r.outTradeNo()).bind("tradeNo", r.tradeNo())
        .bind("expires", Sql.at(r.expiresAt())).bind("created", Sql.at(r.createdAt()))
        .bind("confirmed", Sql.at(r.confirmedAt())).bind("dep", Sql.id(r.depositTransferId()))
        .bind("depStatus", r.depositStatus()).execute() == 1;
  }

  /**
   * Claims the units for the reservation. The primary key of booking_claim lets exactly one
   * reservation have a unit; the count says whether this one got all of them. Units are claimed
   * in id order, so two holds of overlapping seats wait on each other instead of deadlocking.
   */
  static int claim(Handle h, UUID reservationId, UUID[] unitIds) {
    // Only open units: a closing merchant locks the units FOR UPDATE, and addUnits' foreign key
    // check (run before this, in the same transaction) waits on that lock, so this statement's
    // snapshot already sees a close that won the race, and claims nothing of it.
    return h.createUpdate("INSERT INTO booking_claim (unit_id, reservation_id)"
            + " SELECT u.id, :r FROM booking_unit u WHERE u.id = ANY(:units)"
            + " AND u.closed_at IS NULL ORDER BY u.id ON CONFLICT (unit_id) DO NOTHING")
        .bind("units", Sql.ids(unitIds)).bind("r", Sql.id(reservationId)).execute();
  }

  static void addUnits(Handle h, UUID reservationId, List<Venues.UnitRow> units) {
    var batch = h.prepareBatch("INSERT INTO booking_reservation_unit (reservation_id, unit_id,"
        + " price_fen) VALUES (:r, :u, :p)");
    for (Venues.UnitRow u : units) {
      batch.bind("r", Sql.id(reservationId)).bind("u", Sql.id(u.id())).bind("p", u.priceFen())
          .add();
    }
    batch.execute();
  }

  /**
   * Ends a reservation that is in {@code from}, releasing its units; empty if it was not. The
   * released units are passed to {@code released} once the transaction has committed (never
   * before: a hint forgotten too early could be learned again from the old claim).
   */
  static Optional<Reservation> end(Handle h, UUID id, Reservation.Status from,
      Reservation.Status to, String reason, Instant now, Consumer<List<UUID>> released) {
    Optional<Reservation> ended = h.createQuery("UPDATE booking_reservation SET status = :to,"
            + " ended_at = :now, end_reason = :reason WHERE id = :id AND status = :from RETURNING *")
        .bind("to", to.name()).bind("now", Sql.at(now)).bind("reason", reason)
        .bind("id", Sql.id(id)).bind("from", from.name()).map((rs, ctx) -> row(rs)).findOne();
    if (ended.isPresent() && !to.holdsInventory()) {
      List<UUID> units = h.createQuery("DELETE FROM booking_claim WHERE reservation_id = :id"
          + " RETURNING unit_id").bind("id", Sql.id(id)).map((rs, ctx) -> Sql.uuid(rs, "unit_id"))
          .list();
      h.afterCommit(() -> released.accept(units));
    }
    return ended;
  }
}
