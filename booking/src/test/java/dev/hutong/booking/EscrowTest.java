package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.User;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holding deposits: paid as a trade in the cashier, kept from the agency by a pending ledger
 * transfer until the move-in, refunded whole on cancel or expiry.
 */
class EscrowTest {
  static BookingFixture f;

  @BeforeAll
  static void setUp() {
    f = new BookingFixture("booking_escrow", 8);
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  record Agency(Venue venue, Merchant merchant, UUID listing) {}

  private Agency agency(String appId) {
    Merchant m = f.merchant();
    Venue v = f.venues.create(new Venue(null, appId, m.id(), VenueKind.PROPERTY, "Lane Homes",
        24, 0, 15, 0, 1, 1, 14, 7));
    f.venues.addResource(v, "Agent Li", 1);
    f.venues.openSlots(v, LocalDate.ofInstant(BookingFixture.START, BookingFixture.ZONE), 3,
        LocalTime.of(10, 0), LocalTime.of(18, 0), 60, BookingFixture.ZONE);
    UUID listing = f.venues.addListing(v, new Venues.NewListing("Courtyard flat", "12 Hutong Lane",
        "Dongcheng", "RENT", 6500_00, 58, 2, List.of("courtyard", "metro"),
        List.of("img/flat-1.svg"), 3000_00));
    return new Agency(v, m, listing);
  }

  private static void assertError(Runnable call, BookingError error) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(BookingException.class,
        e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(error));
  }

  /** The tenant asks for the deposit and pays its trade in the cashier with the PIN. */
  private Reservation paidDeposit(String appId, User u, UUID listing) {
    Reservation held = f.escrow.place(appId, u.id(), "dep-" + u.id(), listing);
    assertThat(held.status()).isEqualTo(Reservation.Status.HELD);
    assertThat(held.depositStatus()).isNull();
    f.pay(u, held);
    return f.escrow.settle(f.reservations.get(held.id()));
  }

  @Test
  void aPaidDepositIsKeptFromTheAgencyUntilTheMoveIn() throws Exception {
    Agency a = agency("homes-post");
    User u = f.user(5000_00);
    long agencyBefore = f.balance(a.merchant());
    long agencyAvailableBefore = f.available(a.merchant());
    Reservation r = paidDeposit("homes-post", u, a.listing());
    assertThat(r.status()).isEqualTo(Reservation.Status.CONFIRMED);
    assertThat(r.depositStatus()).isEqualTo("PENDING");
    assertThat(f.balance(u)).isEqualTo(2000_00);
    // received 3000.00 less the 0.6% fee (18.00), all of it held by the pending transfer
    assertThat(f.balance(a.merchant())).isEqualTo(agencyBefore + 2982_00);
    assertThat(f.available(a.merchant())).isEqualTo(agencyAvailableBefore);
    assertThat(f.venues.listing(a.venue(), a.listing()).depositTaken()).isTrue();

    User rival = f.user(5000_00);
    assertError(() -> f.escrow.place("homes-post", rival.id(), "dep", a.listing()),
        BookingError.UNAVAILABLE);

    Reservation moved = f.escrow.confirmMoveIn(a.venue(), r.id());
    assertThat(moved.status()).isEqualTo(Reservation.Status.COMPLETED);
    assertThat(moved.depositStatus()).isEqualTo("POSTED");
    assertThat(f.balance(u)).isEqualTo(2000_00);
    assertThat(f.available(a.merchant())).isEqualTo(agencyAvailableBefore + 2982_00);
    assertError(() -> f.escrow.confirmMoveIn(a.venue(), r.id()), BookingError.WRONG_STATE);
    f.assertInvariants();
  }

  @Test
  void aCancelledDepositIsRefundedWholeAndTheListingFreed() throws Exception {
    Agency a = agency("homes-void");
    User u = f.user(5000_00);
    long agencyBefore = f.balance(a.merchant());
    Reservation r = paidDeposit("homes-void", u, a.listing());
    Reservation cancelled = f.escrow.cancel("homes-void", u.id(), r.id());
    assertThat(cancelled.status()).isEqualTo(Reservation.Status.CANCELLED);
    assertThat(cancelled.depositStatus()).isEqualTo("VOIDED");
    assertThat(cancelled.refundStatus()).isEqualTo("DONE");
    assertThat(f.balance(u)).isEqualTo(5000_00);
    assertThat(f.available(u)).isEqualTo(5000_00);
    assertThat(f.balance(a.merchant())).isEqualTo(agencyBefore);
    assertThat(f.venues.listing(a.venue(), a.listing()).depositTaken()).isFalse();
    User next = f.user(5000_00);
    assertThat(paidDeposit("homes-void", next, a.listing()).status())
        .isEqualTo(Reservation.Status.CONFIRMED);
    f.assertInvariants();
  }

  @Test
  void anUnpaidDepositHoldEndsWithItsTrade() throws Exception {
    Agency a = agency("homes-unpaid");
    User u = f.user(5000_00);
    Reservation held = f.escrow.place("homes-unpaid", u.id(), "dep", a.listing());
    assertThat(f.escrow.place("homes-unpaid", u.id(), "dep", a.listing()).id())
        .isEqualTo(held.id());
    Reservation cancelled = f.escrow.cancel("homes-unpaid", u.id(), held.id());
    assertThat(cancelled.status()).isEqualTo(Reservation.Status.CANCELLED);
    assertThat(f.venues.listing(a.venue(), a.listing()).depositTaken()).isFalse();

    Reservation again = f.escrow.place("homes-unpaid", u.id(), "dep2", a.listing());
    f.clock.advance(Duration.ofMinutes(16));
    f.reservations.sweep(100, false);
    assertThat(f.reservations.get(again.id()).status()).isEqualTo(Reservation.Status.RELEASED);
    f.clock.advance(Duration.ofMinutes(-16));
    assertThat(f.balance(u)).isEqualTo(5000_00);
    f.assertInvariants();
  }

  @Test
  void anExpiredDepositIsReturnedByTheJobs() throws Exception {
    Agency a = agency("homes-expire");
    User u = f.user(5000_00);
    Reservation r = paidDeposit("homes-expire", u, a.listing());
    f.clock.advance(Duration.ofDays(7));
    f.escrow.sweep(100, false);
    Reservation after = f.reservations.get(r.id());
    assertThat(after.depositStatus()).isEqualTo("VOIDED");
    assertThat(after.status()).isEqualTo(Reservation.Status.RELEASED);
    assertThat(after.refundStatus()).isEqualTo("DONE");
    assertThat(f.balance(u)).isEqualTo(5000_00);
    f.clock.advance(Duration.ofDays(-7));
    f.assertInvariants();
  }

  @Test
  void refusalsChangeNothing() throws Exception {
    Agency a = agency("homes-refuse");
    User poor = f.user(100_00);
    Reservation held = f.escrow.place("homes-refuse", poor.id(), "dep", a.listing());
    assertThatThrownBy(() -> f.pay(poor, held)).hasMessageContaining("not enough");
    assertThat(f.escrow.settle(f.reservations.get(held.id())).status())
        .isEqualTo(Reservation.Status.HELD);
    assertThat(f.available(poor)).isEqualTo(100_00);
    assertError(() -> f.escrow.place("homes-refuse", poor.id(), "dep2", UUID.randomUUID()),
        BookingError.NOT_FOUND);
    f.assertInvariants();
  }

  @Test
  void viewingsAreFreeAndOneVisitorPerSlot() throws Exception {
    Agency a = agency("homes-view");
    User u = f.user(0);
    User v = f.user(0);
    var slots = f.venues.viewingSlots(a.venue(), BookingFixture.START,
        BookingFixture.START.plus(Duration.ofDays(3)));
    assertThat(slots).isNotEmpty();
    UUID slot = slots.get(0).unitId();
    Reservation r = f.reservations.bookViewing("homes-view", u.id(), "v", slot, a.listing());
    assertThat(r.status()).isEqualTo(Reservation.Status.CONFIRMED);
    assertError(() -> f.reservations.bookViewing("homes-view", v.id(), "v", slot, a.listing()),
        BookingError.UNAVAILABLE);
    f.assertInvariants();
  }
}
