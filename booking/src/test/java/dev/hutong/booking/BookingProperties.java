package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.identity.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of holds, payments, cancellations, time passing and sweeps on one small
 * showtime: after every sequence money and inventory agree (BookingInvariants with pay's and the
 * ledger's), no seat has two claims, and every wallet equals its top-up minus what its confirmed
 * bookings kept.
 */
class BookingProperties {
  static BookingFixture f;
  static final AtomicInteger venues = new AtomicInteger();

  @BeforeContainer
  static void setUp() {
    f = new BookingFixture("booking_properties", 8);
  }

  @AfterContainer
  static void tearDown() {
    f.close();
  }

  enum Op { HOLD, PAY, CANCEL, WAIT, SWEEP }

  record Step(Op op, int who, int seed) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Op.class).flatMap(op -> Arbitraries.integers().between(0, 2)
            .flatMap(who -> Arbitraries.integers().between(0, 1000)
                .map(seed -> new Step(op, who, seed))))
        .list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 25)
  void moneyAndInventoryAgree(@ForAll("steps") List<Step> steps) throws Exception {
    String app = "prop-" + venues.incrementAndGet();
    var c = f.bigCinema(app, 2, 3); // 6 seats
    List<UUID> seats = f.freeSeats(c, 6);
    long topUp = 1000_00;
    List<User> users = List.of(f.user(topUp), f.user(topUp), f.user(topUp));
    List<Reservation> made = new ArrayList<>();
    int n = 0;
    for (Step s : steps) {
      User u = users.get(s.who());
      n++;
      try {
        switch (s.op()) {
          case HOLD -> {
            int count = 1 + s.seed() % 3;
            List<UUID> pick = new ArrayList<>();
            for (int i = 0; i < count; i++) {
              UUID seat = seats.get((s.seed() / 3 + i * 5) % seats.size());
              if (!pick.contains(seat)) {
                pick.add(seat);
              }
            }
            made.add(f.reservations.holdSeats(app, u.id(), "h" + n, pick));
          }
          case PAY -> mineOf(made, u).stream().filter(Reservation::awaitingPayment).findFirst()
              .ifPresent(r -> f.pay(u, r));
          case CANCEL -> mineOf(made, u).stream().findFirst()
              .ifPresent(r -> f.reservations.cancel(app, u.id(), r.id()));
          case WAIT -> f.clock.advance(Duration.ofMinutes(s.seed() % 20));
          case SWEEP -> f.reservations.sweep(100, false);
        }
      } catch (BookingException | dev.hutong.pay.TradeException expected) {
        // refusals (seat taken, trade closed, wrong state) are part of the game
      }
    }
    // Quiet now: a payment nobody has synced yet (the app would ask at once, the jobs within a
    // minute) is settled the way recovery settles everything, then the invariants must hold.
    f.reservations.sweep(100, true);
    f.assertInvariants();
    List<Reservation> all = f.reservations.forVenue(c.venue());
    long claimed = f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM booking_claim c"
        + " JOIN booking_unit u ON u.id = c.unit_id WHERE u.showtime_id = :s")
        .bind("s", c.showtime()).mapTo(Long.class).one());
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free())
        .isEqualTo(6 - claimed);
    for (User u : users) {
      long kept = all.stream().filter(r -> r.userId().equals(u.id()))
          .filter(r -> r.status() == Reservation.Status.CONFIRMED
              || r.status() == Reservation.Status.CANCELLED && r.confirmedAt() != null)
          .mapToLong(r -> r.amountFen() - r.refundFen()).sum();
      assertThat(f.balance(u)).as("wallet of user").isEqualTo(topUp - kept);
    }
  }

  private static List<Reservation> mineOf(List<Reservation> made, User u) {
    return made.stream().filter(r -> r.userId().equals(u.id()))
        .map(r -> f.reservations.get(r.id()))
        .filter(r -> r.status() == Reservation.Status.HELD
            || r.status() == Reservation.Status.CONFIRMED).toList();
  }
}
