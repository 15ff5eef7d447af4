package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.identity.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InventoryEditsTest {
  static BookingFixture f;
  static InventoryEdits edits;

  @BeforeAll
  static void setUp() {
    f = new BookingFixture("booking_inventory_edits", 8);
    edits = new InventoryEdits(f.jdbi, f.clock);
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  private static BookingException refusal(Runnable call, BookingError error) {
    try {
      call.run();
    } catch (BookingException e) {
      assertThat(e.error()).as(e.getMessage()).isEqualTo(error);
      return e;
    }
    throw new AssertionError("expected a refusal " + error);
  }

  private static List<Inventory.Showtime> listed(BookingFixture.Cinema c) {
    return f.venues.showtimes(c.venue(), BookingFixture.START,
        BookingFixture.START.plus(Duration.ofDays(7)));
  }

  @Test
  void anUnbookedShowtimeIsRemovedAndItsSeatsCanNoLongerBeHeld() throws Exception {
    var c = f.cinema("edit-remove", 24, 0);
    List<UUID> seats = f.freeSeats(c, 2);
    edits.removeShowtime(c.venue(), c.showtime());
    assertThat(listed(c)).isEmpty();
    edits.removeShowtime(c.venue(), c.showtime()); // a repeat answers the same
    User u = f.user(100_00);
    refusal(() -> f.reservations.holdSeats("edit-remove", u.id(), "r1", seats),
        BookingError.NOT_FOUND);
    refusal(() -> f.venues.seatMap(c.venue(), c.showtime()), BookingError.NOT_FOUND);
    refusal(() -> edits.changePrices(c.venue(), c.showtime(), Map.of("S", 1L, "V", 1L)),
        BookingError.WRONG_STATE);

    // added again at the same hall and time: back, with the new prices, its seats open
    Instant starts = f.tomorrowAt(19, 30);
    assertThat(f.venues.addShowtime(c.venue(), c.hall(), "The Hutong II", 110, starts,
        Map.of("S", 4000L, "V", 6000L))).isEqualTo(c.showtime());
    assertThat(listed(c)).singleElement().satisfies(s -> {
      assertThat(s.film()).isEqualTo("The Hutong II");
      assertThat(s.free()).isEqualTo(20);
    });
    assertThat(f.reservations.holdSeats("edit-remove", u.id(), "r2", seats).amountFen())
        .isEqualTo(8000);
    f.assertInvariants();
  }

  @Test
  void aShowtimeWithBookingsIsNotRemovedAndTheCountIsGiven() throws Exception {
    var c = f.cinema("edit-booked", 24, 0);
    List<UUID> seats = f.freeSeats(c, 3);
    User a = f.user(200_00);
    User b = f.user(200_00);
    Reservation paid = f.reservations.holdSeats("edit-booked", a.id(), "a", seats.subList(0, 2));
    f.pay(a, paid);
    assertThat(f.reservations.mine("edit-booked", a.id(), paid.id()).status())
        .isEqualTo(Reservation.Status.CONFIRMED);
    f.reservations.holdSeats("edit-booked", b.id(), "b", seats.subList(2, 3)); // held, unpaid
    BookingException e = refusal(() -> edits.removeShowtime(c.venue(), c.showtime()),
        BookingError.WRONG_STATE);
    assertThat(e.getMessage())
        .isEqualTo("2 bookings hold seats on this showtime; cancel them first");
    assertThat(listed(c)).hasSize(1).first().satisfies(s -> assertThat(s.free()).isEqualTo(17));
    f.assertInvariants();
  }

  @Test
  void newPricesApplyToNewHoldsOnlyAndMustNameEveryClass() throws Exception {
    var c = f.cinema("edit-prices", 24, 0);
    User a = f.user(500_00);
    List<UUID> seats = f.freeSeats(c, 2); // row A: class S
    Reservation held = f.reservations.holdSeats("edit-prices", a.id(), "a", seats.subList(0, 1));
    assertThat(held.amountFen()).isEqualTo(4500);
    refusal(() -> edits.changePrices(c.venue(), c.showtime(), Map.of("S", 5000L)),
        BookingError.INVALID_ARGUMENT);
    refusal(() -> edits.changePrices(c.venue(), c.showtime(), Map.of("S", 0L, "V", 7000L)),
        BookingError.INVALID_ARGUMENT);
    assertThat(listed(c).get(0).prices()).containsEntry("S", 4500L);

    assertThat(edits.changePrices(c.venue(), c.showtime(), Map.of("S", 5000L, "V", 7000L)))
        .containsEntry("S", 5000L).containsEntry("V", 7000L);
    edits.changePrices(c.venue(), c.showtime(), Map.of("S", 5000L, "V", 7000L)); // repeat
    assertThat(listed(c).get(0).prices()).containsEntry("S", 5000L);
    Reservation later = f.reservations.holdSeats("edit-prices", a.id(), "b", seats.subList(1, 2));
    assertThat(later.amountFen()).isEqualTo(5000);
    f.pay(a, held); // the earlier hold is paid at the price it was made at
    assertThat(f.reservations.mine("edit-prices", a.id(), held.id()).amountFen()).isEqualTo(4500);
    assertThat(f.balance(a)).isEqualTo(500_00 - 4500);
    f.assertInvariants();
  }

  @Test
  void closingSlotsKeepsClaimedOnesAndReportsThem() throws Exception {
    var r = f.restaurant("edit-slots", 0);
    User u = f.user(0);
    Instant noon = f.tomorrowAt(12, 30);
    Reservation booked = f.reservations.reserveTable("edit-slots", u.id(), "t", noon, 2);
    Instant from = f.tomorrowAt(0, 0);
    InventoryEdits.Closed closed = edits.closeSlots(r.venue(), from,
        from.plus(Duration.ofDays(1)), null);
    // 11:00..18:30 every 90 min = 6 slots x 3 tables; one table at 12:30 booked
    assertThat(closed.closed()).isEqualTo(17);
    assertThat(closed.kept()).singleElement().satisfies(k -> {
      assertThat(k.startsAt()).isEqualTo(noon);
      assertThat(k.status()).isEqualTo("CONFIRMED");
    });
    assertThat(edits.closeSlots(r.venue(), from, from.plus(Duration.ofDays(1)), null))
        .isEqualTo(closed); // a repeat answers the same
    // only the booked table's slot is left, with no table free
    assertThat(f.venues.tableSlots(r.venue(), from, from.plus(Duration.ofDays(1)), 1))
        .singleElement().satisfies(t -> assertThat(t.freeTables()).isZero());
    refusal(() -> f.reservations.reserveTable("edit-slots", u.id(), "t2", noon, 2),
        BookingError.UNAVAILABLE);
    // opening slots again reopens the closed ones
    int reopened = f.venues.openSlots(r.venue(), java.time.LocalDate.ofInstant(from,
        BookingFixture.ZONE), 1, java.time.LocalTime.of(11, 0), java.time.LocalTime.of(21, 0),
        90, BookingFixture.ZONE);
    assertThat(reopened).isEqualTo(17);
    assertThat(booked.status()).isEqualTo(Reservation.Status.CONFIRMED);
    f.assertInvariants();
  }

  @Test
  void closingRefusesBadRangesAndOtherVenuesTables() {
    var r = f.restaurant("edit-slots-bad", 0);
    Instant from = f.tomorrowAt(0, 0);
    refusal(() -> edits.closeSlots(r.venue(), from, from, null), BookingError.INVALID_ARGUMENT);
    refusal(() -> edits.closeSlots(r.venue(), from, from.plus(Duration.ofDays(32)), null),
        BookingError.INVALID_ARGUMENT);
    refusal(() -> edits.closeSlots(r.venue(), from, from.plus(Duration.ofDays(1)),
        UUID.randomUUID()), BookingError.NOT_FOUND);
    assertThat(f.venues.tableSlots(r.venue(), from, from.plus(Duration.ofDays(1)), 1))
        .hasSize(6);
  }

  /**
   * A removal racing holds on the same showtime: either the removal wins (no seat claimed, the
   * hold refused) or a hold wins (the removal refused, the seats held). Never both.
   */
  @Test
  void aRemovalRacingAHoldNeverLeavesAClaimOnARemovedShowtime() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    int removedWins = 0;
    int holdWins = 0;
    try {
      for (int i = 0; i < 12; i++) {
        String app = "edit-race-" + i;
        var c = f.cinema(app, 24, 0);
        List<UUID> seats = f.freeSeats(c, 1);
        User u = f.user(100_00);
        CountDownLatch go = new CountDownLatch(1);
        Future<Boolean> hold = pool.submit(() -> {
          go.await();
          try {
            f.reservations.holdSeats(app, u.id(), "r", seats);
            return true;
          } catch (BookingException e) {
            return false;
          }
        });
        Future<Boolean> remove = pool.submit(() -> {
          go.await();
          try {
            edits.removeShowtime(c.venue(), c.showtime());
            return true;
          } catch (BookingException e) {
            assertThat(e.getMessage()).startsWith("1 booking holds seats");
            return false;
          }
        });
        go.countDown();
        boolean held = hold.get();
        boolean removed = remove.get();
        assertThat(held).as("exactly one wins").isNotEqualTo(removed);
        if (removed) {
          removedWins++;
        } else {
          holdWins++;
        }
        f.assertInvariants();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("removal vs hold race: removal won " + removedWins + ", hold won "
        + holdWins);
  }

  @Test
  void aWithdrawnListingIsHiddenAndTakesNoNewViewingsOrDeposits() throws Exception {
    var m = f.merchant();
    Venue v = f.venues.create(new Venue(null, "edit-agency", m.id(), VenueKind.PROPERTY,
        "Agency", 24, 0, 15, 0, 1, 1, 14, 14));
    UUID listing = f.venues.addListing(v, new Venues.NewListing("Studio", "1 Lane", "Dongcheng",
        "RENT", 3000_00, 30, 1, List.of(), List.of(), 1000_00));
    f.venues.addResource(v, "Agent Li", 1);
    f.venues.openSlots(v, java.time.LocalDate.ofInstant(f.tomorrowAt(0, 0), BookingFixture.ZONE),
        1, java.time.LocalTime.of(10, 0), java.time.LocalTime.of(12, 0), 60, BookingFixture.ZONE);
    User tenant = f.user(2000_00);
    Reservation deposit = f.escrow.place("edit-agency", tenant.id(), "d", listing);
    var none = new Inventory.ListingFilter(null, null, null, null, null);

    edits.setWithdrawn(v, listing, true);
    edits.setWithdrawn(v, listing, true); // repeat
    assertThat(f.venues.listings(v, none)).isEmpty();
    assertThat(f.venues.listings(v, none, true)).singleElement()
        .satisfies(l -> assertThat(l.withdrawn()).isTrue());
    UUID slot = f.venues.viewingSlots(v, f.tomorrowAt(0, 0), f.tomorrowAt(23, 0)).get(0).unitId();
    User other = f.user(2000_00);
    assertThat(refusal(() -> f.reservations.bookViewing("edit-agency", other.id(), "v", slot,
        listing), BookingError.WRONG_STATE).getMessage()).contains("withdrawn");
    refusal(() -> f.escrow.place("edit-agency", other.id(), "d2", listing),
        BookingError.WRONG_STATE);
    f.pay(tenant, deposit); // the existing deposit stands and is paid into escrow
    assertThat(f.escrow.settle(f.reservations.mine("edit-agency", tenant.id(), deposit.id()))
        .status()).isEqualTo(Reservation.Status.CONFIRMED);

    edits.setWithdrawn(v, listing, false);
    assertThat(f.venues.listings(v, none)).hasSize(1);
    assertThat(f.reservations.bookViewing("edit-agency", other.id(), "v", slot, listing)
        .status()).isEqualTo(Reservation.Status.CONFIRMED);
    refusal(() -> edits.setWithdrawn(v, UUID.randomUUID(), true), BookingError.NOT_FOUND);
    f.assertInvariants();
  }
}
