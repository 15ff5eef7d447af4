package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.identity.User;
import dev.hutong.pay.TradeRef;
import dev.hutong.pay.TradeStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The states a crash can leave between the steps of a booking, written into the database as the
 * crash would leave them, then a restart (new components on the same database) and the recovery
 * pass that runs before traffic: money and inventory agree again.
 */
class RecoveryTest {
  static BookingFixture f;

  @BeforeAll
  static void setUp() {
    f = new BookingFixture("booking_recovery", 8);
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  private void detachTrade(Reservation r) {
    f.jdbi.useHandle(h -> h.createUpdate("UPDATE booking_reservation SET trade_no = NULL"
        + " WHERE id = :id").bind("id", r.id()).execute());
  }

  private void restartAndRecover() {
    f.restart();
    f.jobs.start();
  }

  @Test
  void aHoldWhoseTradeWasNeverCreatedIsReleasedAtStart() throws Exception {
    var c = f.cinema("crash-no-trade", 24, 20);
    User u = f.user(100_00);
    Reservation r = f.reservations.holdSeats("crash-no-trade", u.id(), "r", f.freeSeats(c, 2));
    // the crash came before the trade: remove the trade's traces as if it was never created
    f.trades.close(TradeRef.byTradeNo(r.appId(), r.tradeNo()));
    f.jdbi.useHandle(h -> {
      h.createUpdate("DELETE FROM pay_notification WHERE trade_no = :t").bind("t", r.tradeNo())
          .execute();
      h.createUpdate("DELETE FROM pay_trade WHERE trade_no = :t").bind("t", r.tradeNo()).execute();
    });
    detachTrade(r);
    restartAndRecover();
    assertThat(f.reservations.get(r.id()).status()).isEqualTo(Reservation.Status.RELEASED);
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free()).isEqualTo(20);
    f.assertInvariants();
  }

  @Test
  void aTradeCreatedButNotRecordedIsFoundAndAPaymentConfirmsTheHold() throws Exception {
    var c = f.cinema("crash-detached", 24, 20);
    User u = f.user(100_00);
    Reservation r = f.reservations.holdSeats("crash-detached", u.id(), "r", f.freeSeats(c, 1));
    detachTrade(r);
    f.pay(u, r); // e.g. the trade number reached the app before the crash
    restartAndRecover();
    Reservation after = f.reservations.get(r.id());
    assertThat(after.tradeNo()).isEqualTo(r.tradeNo());
    assertThat(after.status()).isEqualTo(Reservation.Status.CONFIRMED);
    f.assertInvariants();
  }

  @Test
  void aPaymentTheAppNeverReportedIsConfirmedByTheJobs() throws Exception {
    var c = f.cinema("crash-paid", 24, 20);
    User u = f.user(100_00);
    Reservation r = f.reservations.holdSeats("crash-paid", u.id(), "r", f.freeSeats(c, 1));
    f.pay(u, r); // the app closed before asking: nobody synced
    restartAndRecover();
    assertThat(f.reservations.get(r.id()).status()).isEqualTo(Reservation.Status.CONFIRMED);
    f.assertInvariants();
  }

  @Test
  void holdsThatExpiredWhileDownAreReleasedAndTheirTradesClosed() throws Exception {
    var c = f.cinema("crash-expired", 24, 20);
    User u = f.user(100_00);
    Reservation r = f.reservations.holdSeats("crash-expired", u.id(), "r", f.freeSeats(c, 4));
    f.clock.advance(Duration.ofMinutes(40));
    restartAndRecover();
    assertThat(f.reservations.get(r.id()).status()).isEqualTo(Reservation.Status.RELEASED);
    assertThat(f.trades.query(TradeRef.byTradeNo(r.appId(), r.tradeNo())).status())
        .isEqualTo(TradeStatus.TRADE_CLOSED);
    f.assertInvariants();
  }

  @Test
  void anOwedRefundIsPaidAfterARestart() throws Exception {
    var c = f.cinema("crash-refund", 24, 20);
    User u = f.user(100_00);
    Reservation r = f.reservations.holdSeats("crash-refund", u.id(), "r", f.freeSeats(c, 1));
    f.pay(u, r);
    f.reservations.mine("crash-refund", u.id(), r.id());
    // the crash came after the booking was marked cancelled, before the refund was asked for
    f.jdbi.useHandle(h -> {
      h.createUpdate("UPDATE booking_reservation SET status = 'CANCELLED', refund_fen = amount_fen,"
          + " refund_status = 'PENDING', ended_at = now() WHERE id = :id").bind("id", r.id())
          .execute();
      h.createUpdate("DELETE FROM booking_claim WHERE reservation_id = :id").bind("id", r.id())
          .execute();
    });
    restartAndRecover();
    assertThat(f.reservations.get(r.id()).refundStatus()).isEqualTo("DONE");
    assertThat(f.balance(u)).isEqualTo(100_00);
    f.assertInvariants();
  }

  @Test
  void aDepositLeftSubmittingIsRolledForward() throws Exception {
    var m = f.merchant();
    Venue v = f.venues.create(new Venue(null, "crash-deposit", m.id(), VenueKind.PROPERTY,
        "Homes", 24, 0, 15, 0, 1, 1, 14, 7));
    UUID listing = f.venues.addListing(v, new Venues.NewListing("Flat", "1 Lane", "Xicheng",
        "RENT", 5000_00, 40, 1, List.of(), List.of(), 1000_00));
    User u = f.user(2000_00);
    Reservation r = f.escrow.place("crash-deposit", u.id(), "d", listing);
    f.pay(u, r);
    // as if the crash came after the payment, before anything was synced, and again after the
    // booking was confirmed (SUBMITTING) but before the ledger was asked
    UUID fresh = dev.hutong.ledger.Ids.next();
    f.jdbi.useHandle(h -> h.createUpdate("UPDATE booking_reservation SET"
            + " deposit_transfer_id = :t WHERE id = :id").bind("t", fresh).bind("id", r.id())
        .execute());
    restartAndRecover();
    Reservation after = f.reservations.get(r.id());
    assertThat(after.status()).isEqualTo(Reservation.Status.CONFIRMED);
    assertThat(after.depositStatus()).isEqualTo("PENDING");
    assertThat(after.depositTransferId()).isEqualTo(fresh);
    assertThat(f.balance(u)).isEqualTo(1000_00);
    f.assertInvariants();
  }

}
