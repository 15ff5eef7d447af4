package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.User;
import dev.hutong.pay.Trade;
import dev.hutong.pay.TradeError;
import dev.hutong.pay.TradeException;
import dev.hutong.pay.TradeRef;
import dev.hutong.pay.TradeStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReservationsTest {
  static BookingFixture f;

  @BeforeAll
  static void setUp() {
    f = new BookingFixture("booking_reservations", 8);
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  private static void assertError(Runnable call, BookingError error) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(BookingException.class,
        e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(error));
  }

  private Trade trade(Reservation r) {
    return f.trades.query(TradeRef.byTradeNo(r.appId(), r.tradeNo()));
  }

  @Test
  void aHeldSeatIsPaidWithThePinAndBecomesABooking() throws Exception {
    var c = f.cinema("cinema-pay", 24, 20);
    User u = f.user(200_00);
    List<UUID> seats = f.venues.seatMap(c.venue(), c.showtime()).seats().stream()
        .filter(s -> s.label().equals("C1") || s.label().equals("A1"))
        .map(Inventory.Seat::unitId).toList();
    Reservation r = f.reservations.holdSeats("cinema-pay", u.id(), "req-1", seats);
    assertThat(r.status()).isEqualTo(Reservation.Status.HELD);
    assertThat(r.amountFen()).isEqualTo(4500 + 6500);
    assertThat(r.summary()).contains("The Hutong", "A1", "C1");
    assertThat(r.expiresAt()).isEqualTo(r.createdAt().plus(Duration.ofMinutes(15)));
    Trade t = trade(r);
    assertThat(t.status()).isEqualTo(TradeStatus.WAIT_BUYER_PAY);
    assertThat(t.totalAmount()).isEqualTo(11_000);
    assertThat(t.buyerUserId()).isEqualTo(u.id());
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free()).isEqualTo(18);

    // the same request again: the same hold, nothing new taken
    assertThat(f.reservations.holdSeats("cinema-pay", u.id(), "req-1", seats).id())
        .isEqualTo(r.id());

    f.pay(u, r);
    Reservation booked = f.reservations.mine("cinema-pay", u.id(), r.id());
    assertThat(booked.status()).isEqualTo(Reservation.Status.CONFIRMED);
    assertThat(f.balance(u)).isEqualTo(200_00 - 11_000);
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free()).isEqualTo(18);
    f.assertInvariants();
  }

  @Test
  void aTakenSeatIsRefusedAndNothingIsCharged() throws Exception {
    var c = f.cinema("cinema-taken", 24, 20);
    User a = f.user(100_00);
    User b = f.user(100_00);
    List<UUID> two = f.freeSeats(c, 2);
    f.reservations.holdSeats("cinema-taken", a.id(), "a", two);
    assertError(() -> f.reservations.holdSeats("cinema-taken", b.id(), "b", List.of(two.get(1))),
        BookingError.UNAVAILABLE);
    assertThat(f.reservations.listMine("cinema-taken", b.id())).isEmpty();
    assertThat(f.balance(b)).isEqualTo(100_00);
    f.assertInvariants();
  }

  @Test
  void anExpiredHoldReleasesItsSeatsAndClosesTheTrade() throws Exception {
    var c = f.cinema("cinema-expiry", 24, 20);
    User u = f.user(100_00);
    List<UUID> seats = f.freeSeats(c, 3);
    Reservation r = f.reservations.holdSeats("cinema-expiry", u.id(), "r", seats);
    f.clock.advance(Duration.ofMinutes(14));
    f.reservations.sweep(100, false);
    assertThat(f.reservations.mine("cinema-expiry", u.id(), r.id()).status())
        .isEqualTo(Reservation.Status.HELD);
    f.clock.advance(Duration.ofMinutes(1));
    f.reservations.sweep(100, false);
    Reservation after = f.reservations.get(r.id());
    assertThat(after.status()).isEqualTo(Reservation.Status.RELEASED);
    assertThat(trade(r).status()).isEqualTo(TradeStatus.TRADE_CLOSED);
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free()).isEqualTo(20);
    // paying the closed trade now is refused: the money never moves
    assertThatThrownBy(() -> f.pay(u, r)).isInstanceOfSatisfying(TradeException.class,
        e -> assertThat(e.error()).isEqualTo(TradeError.TRADE_HAS_CLOSE));
    assertThat(f.balance(u)).isEqualTo(100_00);
    // and someone else can take the seats
    User other = f.user(100_00);
    assertThat(f.reservations.holdSeats("cinema-expiry", other.id(), "o", seats).status())
        .isEqualTo(Reservation.Status.HELD);
    f.assertInvariants();
  }

  @Test
  void cancellingFollowsTheVenuePolicy() throws Exception {
    var c = f.cinema("cinema-cancel", 24, 20); // free until 24 h before, then 20 % kept
    User u = f.user(1000_00);
    Reservation early = f.reservations.holdSeats("cinema-cancel", u.id(), "e", f.freeSeats(c, 1));
    f.pay(u, early);
    Reservation late = f.reservations.holdSeats("cinema-cancel", u.id(), "l", f.freeSeats(c, 2));
    f.pay(u, late);
    long before = f.balance(u);
    Reservation cancelled = f.reservations.cancel("cinema-cancel", u.id(), early.id());
    assertThat(cancelled.status()).isEqualTo(Reservation.Status.CANCELLED);
    assertThat(cancelled.refundFen()).isEqualTo(early.amountFen());
    assertThat(cancelled.refundStatus()).isEqualTo("DONE");
    assertThat(f.balance(u)).isEqualTo(before + early.amountFen());

    f.clock.advance(Duration.ofHours(20)); // now within 24 h of the 19:30 showtime
    Reservation lateCancel = f.reservations.cancel("cinema-cancel", u.id(), late.id());
    long fee = late.amountFen() * 20 / 100;
    assertThat(lateCancel.refundFen()).isEqualTo(late.amountFen() - fee);
    assertThat(f.balance(u)).isEqualTo(before + early.amountFen() + late.amountFen() - fee);
    assertError(() -> f.reservations.cancel("cinema-cancel", u.id(), late.id()),
        BookingError.WRONG_STATE);
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free()).isEqualTo(20);
    f.clock.advance(Duration.ofHours(-20));
    f.assertInvariants();
  }

  @Test
  void cancellingAHoldClosesItsTrade() throws Exception {
    var c = f.cinema("cinema-cancel-hold", 24, 20);
    User u = f.user(100_00);
    Reservation r = f.reservations.holdSeats("cinema-cancel-hold", u.id(), "h", f.freeSeats(c, 1));
    Reservation cancelled = f.reservations.cancel("cinema-cancel-hold", u.id(), r.id());
    assertThat(cancelled.status()).isEqualTo(Reservation.Status.CANCELLED);
    assertThat(trade(r).status()).isEqualTo(TradeStatus.TRADE_CLOSED);
    f.assertInvariants();
  }

  @Test
  void restaurantTablesFitThePartyAndPrepaymentIsOptional() throws Exception {
    var rest = f.restaurant("noodles", 50_00);
    User u = f.user(1000_00);
    var at = f.tomorrowAt(12, 30);
    assertError(() -> f.reservations.reserveTable("noodles", u.id(), "big", at, 9),
        BookingError.INVALID_ARGUMENT);
    assertError(() -> f.reservations.reserveTable("noodles", u.id(), "far",
        at.plus(Duration.ofDays(8)), 2), BookingError.INVALID_ARGUMENT);
    assertError(() -> f.reservations.reserveTable("noodles", u.id(), "odd",
        at.plusSeconds(600), 2), BookingError.UNAVAILABLE);
    Reservation three = f.reservations.reserveTable("noodles", u.id(), "three", at, 3);
    assertThat(three.summary()).startsWith("Table T2");
    assertThat(three.amountFen()).isEqualTo(150_00);
    assertThat(three.status()).isEqualTo(Reservation.Status.HELD);
    f.pay(u, three);
    assertThat(f.reservations.mine("noodles", u.id(), three.id()).status())
        .isEqualTo(Reservation.Status.CONFIRMED);
    Reservation four = f.reservations.reserveTable("noodles", u.id(), "four", at, 4);
    assertThat(four.summary()).startsWith("Table T3"); // T2 is taken; the 6-seat table fits
    assertError(() -> f.reservations.reserveTable("noodles", u.id(), "five", at, 5),
        BookingError.UNAVAILABLE);
    assertThat(f.venues.tableSlots(rest.venue(), at, at.plusSeconds(1), 1).get(0).freeTables())
        .isEqualTo(1);
    // the guests came: completed, the prepayment stays with the restaurant
    Reservation done = f.reservations.complete(rest.venue(), three.id());
    assertThat(done.status()).isEqualTo(Reservation.Status.COMPLETED);

    var free = f.restaurant("free-noodles", 0);
    Reservation nothingToPay = f.reservations.reserveTable("free-noodles", u.id(), "f", at, 2);
    assertThat(nothingToPay.status()).isEqualTo(Reservation.Status.CONFIRMED);
    assertThat(nothingToPay.tradeNo()).isNull();
    assertThat(f.reservations.cancel("free-noodles", u.id(), nothingToPay.id()).status())
        .isEqualTo(Reservation.Status.CANCELLED);
    assertThat(free.venue().kind()).isEqualTo(VenueKind.RESTAURANT);
    f.assertInvariants();
  }

  @Test
  void aMerchantCancellationRefundsEverything() throws Exception {
    var c = f.cinema("cinema-merchant", 24, 100);
    User u = f.user(100_00);
    Reservation r = f.reservations.holdSeats("cinema-merchant", u.id(), "m", f.freeSeats(c, 1));
    f.pay(u, r);
    f.clock.advance(Duration.ofHours(30));
    Merchant m = c.merchant();
    long merchantBefore = f.balance(m);
    Reservation cancelled = f.reservations.cancelByMerchant(c.venue(), r.id());
    assertThat(cancelled.refundFen()).isEqualTo(r.amountFen());
    assertThat(f.balance(u)).isEqualTo(100_00);
    assertThat(f.balance(m)).isLessThan(merchantBefore);
    f.clock.advance(Duration.ofHours(-30));
    f.assertInvariants();
  }

  @Test
  void holdsOfOtherAppsAndUsersAreInvisible() {
    var c = f.cinema("cinema-private", 24, 20);
    User u = f.user(100_00);
    User other = f.user(100_00);
    Reservation r = f.reservations.holdSeats("cinema-private", u.id(), "p", f.freeSeats(c, 1));
    assertError(() -> f.reservations.mine("cinema-private", other.id(), r.id()),
        BookingError.NOT_FOUND);
    assertError(() -> f.reservations.cancel("cinema-private", other.id(), r.id()),
        BookingError.NOT_FOUND);
    assertError(() -> f.reservations.holdSeats("cinema-private", u.id(), "bad id!", List.of()),
        BookingError.INVALID_ARGUMENT);
    assertError(() -> f.reservations.holdSeats("cinema-private", u.id(), "x",
        List.of(UUID.randomUUID())), BookingError.NOT_FOUND);
  }
}
