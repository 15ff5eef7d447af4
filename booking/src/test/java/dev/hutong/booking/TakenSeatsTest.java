package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.identity.User;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-process "known taken" hint: it refuses attempts on seats this process claimed, lets the
 * claiming request's own retry through to its reservation, and never outlives a release (user
 * cancellation of a hold or a booking, expiry).
 */
class TakenSeatsTest {
  static BookingFixture f;

  @BeforeAll
  static void setUp() {
    f = new BookingFixture("booking_taken_seats", 4);
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  private static void assertTaken(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(BookingException.class,
        e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(BookingError.UNAVAILABLE));
  }

  @Test
  void aClaimedSeatIsRefusedToOthersButItsOwnRetryGetsItsHold() throws Exception {
    var c = f.cinema("taken-retry", 24, 20);
    User a = f.user(100_00);
    User b = f.user(100_00);
    List<UUID> seats = f.freeSeats(c, 2);
    Reservation r = f.reservations.holdSeats("taken-retry", a.id(), "a-1", seats);
    assertTaken(() -> f.reservations.holdSeats("taken-retry", b.id(), "b-1",
        List.of(seats.get(1))));
    // a's other request for the same seat is refused too; a free seat with a taken one as well
    assertTaken(() -> f.reservations.holdSeats("taken-retry", a.id(), "a-2", seats));
    List<UUID> mixed = List.of(f.freeSeats(c, 1).get(0), seats.get(0));
    assertTaken(() -> f.reservations.holdSeats("taken-retry", b.id(), "b-2", mixed));
    assertThat(f.reservations.holdSeats("taken-retry", a.id(), "a-1", seats).id())
        .isEqualTo(r.id());
    assertThat(f.reservations.listMine("taken-retry", b.id())).isEmpty();
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free()).isEqualTo(18);
    f.assertInvariants();
  }

  @Test
  void aCancelledHoldFreesItsSeatsAtOnce() throws Exception {
    var c = f.cinema("taken-cancel-hold", 24, 20);
    User a = f.user(100_00);
    User b = f.user(100_00);
    List<UUID> seats = f.freeSeats(c, 2);
    Reservation r = f.reservations.holdSeats("taken-cancel-hold", a.id(), "a", seats);
    assertTaken(() -> f.reservations.holdSeats("taken-cancel-hold", b.id(), "b1", seats));
    f.reservations.cancel("taken-cancel-hold", a.id(), r.id());
    assertThat(f.reservations.holdSeats("taken-cancel-hold", b.id(), "b2", seats).status())
        .isEqualTo(Reservation.Status.HELD);
    f.assertInvariants();
  }

  @Test
  void aCancelledBookingFreesItsSeatsAtOnce() throws Exception {
    var c = f.cinema("taken-cancel-paid", 24, 20);
    User a = f.user(100_00);
    User b = f.user(100_00);
    List<UUID> seats = f.freeSeats(c, 1);
    Reservation r = f.reservations.holdSeats("taken-cancel-paid", a.id(), "a", seats);
    f.pay(a, r);
    assertThat(f.reservations.mine("taken-cancel-paid", a.id(), r.id()).status())
        .isEqualTo(Reservation.Status.CONFIRMED);
    assertTaken(() -> f.reservations.holdSeats("taken-cancel-paid", b.id(), "b1", seats));
    f.reservations.cancel("taken-cancel-paid", a.id(), r.id());
    assertThat(f.reservations.holdSeats("taken-cancel-paid", b.id(), "b2", seats).status())
        .isEqualTo(Reservation.Status.HELD);
    f.assertInvariants();
  }

  @Test
  void anExpiredHoldFreesItsSeats() throws Exception {
    var c = f.cinema("taken-expiry", 24, 20);
    User a = f.user(100_00);
    User b = f.user(100_00);
    List<UUID> seats = f.freeSeats(c, 3);
    f.reservations.holdSeats("taken-expiry", a.id(), "a", seats);
    assertTaken(() -> f.reservations.holdSeats("taken-expiry", b.id(), "b1", seats));
    f.clock.advance(Duration.ofMinutes(15));
    try {
      f.reservations.sweep(100, false);
      assertThat(f.reservations.holdSeats("taken-expiry", b.id(), "b2", seats).status())
          .isEqualTo(Reservation.Status.HELD);
    } finally {
      f.clock.advance(Duration.ofMinutes(-15));
    }
    f.assertInvariants();
  }

  @Test
  void aClaimThatRacedAReleaseIsNotRemembered() {
    TakenSeats known = new TakenSeats();
    UUID venue = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    UUID seat = UUID.randomUUID();
    UUID[] units = {seat};
    long before = known.generation();
    known.forget(List.of(UUID.randomUUID())); // a release committed while the claim was running
    known.remember(before, venue, units, user, "r");
    assertThat(known.takenByOther(venue, units, UUID.randomUUID(), "x")).isFalse();

    known.remember(known.generation(), venue, units, user, "r");
    assertThat(known.takenByOther(venue, units, UUID.randomUUID(), "x")).isTrue();
    assertThat(known.takenByOther(venue, units, user, "r")).as("its own retry").isFalse();
    assertThat(known.takenByOther(venue, units, user, "other")).isTrue();
    assertThat(known.takenByOther(UUID.randomUUID(), units, user, "x"))
        .as("another venue's seat id: the database answers").isFalse();
    known.forget(List.of(seat));
    assertThat(known.takenByOther(venue, units, UUID.randomUUID(), "x")).isFalse();
  }

  @Test
  void itIsBounded() {
    TakenSeats known = new TakenSeats();
    UUID venue = UUID.randomUUID();
    for (int i = 0; i < TakenSeats.MAX / 8 + 1; i++) {
      UUID[] units = new UUID[8];
      for (int k = 0; k < 8; k++) {
        units[k] = UUID.randomUUID();
      }
      known.remember(known.generation(), venue, units, UUID.randomUUID(), "r");
    }
    assertThat(known.size()).isLessThanOrEqualTo(TakenSeats.MAX);
  }
}
