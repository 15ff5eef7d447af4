package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.identity.User;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many clients racing for the same seats: the database lets exactly one have each. */
class ConcurrencyTest {
  static BookingFixture f;

  @BeforeAll
  static void setUp() {
    f = new BookingFixture("booking_concurrency", 24);
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  @Test
  void racingClientsNeverShareASeat() throws Exception {
    var c = f.bigCinema("race", 3, 10); // 30 seats
    List<UUID> seats = f.freeSeats(c, 30);
    int clients = 24;
    List<User> users = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      users.add(f.user(0));
    }
    AtomicInteger refused = new AtomicInteger();
    Map<UUID, UUID> winnerOfSeat = new ConcurrentHashMap<>();
    AtomicInteger doubleBooked = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      for (int i = 0; i < clients; i++) {
        User u = users.get(i);
        Random random = new Random(i);
        done.add(pool.submit(() -> {
          go.await();
          for (int attempt = 0; attempt < 20; attempt++) {
            List<UUID> want = new ArrayList<>(seats);
            Collections.shuffle(want, random);
            List<UUID> pick = want.subList(0, 1 + random.nextInt(3));
            try {
              Reservation r = f.reservations.holdSeats("race", u.id(), "a" + attempt, pick);
              for (UUID seat : pick) {
                if (winnerOfSeat.putIfAbsent(seat, r.id()) != null) {
                  doubleBooked.incrementAndGet();
                }
              }
            } catch (BookingException e) {
              assertThat(e.error()).isEqualTo(BookingError.UNAVAILABLE);
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> d : done) {
        d.get();
      }
    }
    assertThat(doubleBooked).hasValue(0);
    assertThat(refused.get()).isPositive();
    int claimed = f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM booking_claim c"
            + " JOIN booking_unit u ON u.id = c.unit_id WHERE u.showtime_id = :s")
        .bind("s", c.showtime()).mapTo(Integer.class).one());
    assertThat(claimed).isEqualTo(winnerOfSeat.size());
    assertThat(f.venues.seatMap(c.venue(), c.showtime()).showtime().free())
        .isEqualTo(30 - winnerOfSeat.size());
    f.assertInvariants();
  }

  @Test
  void theSameRequestRacedByManyThreadsMakesOneReservation() throws Exception {
    var c = f.cinema("same-request", 24, 20);
    User u = f.user(0);
    List<UUID> seats = f.freeSeats(c, 2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<UUID>> ids = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        ids.add(pool.submit(() -> {
          go.await();
          try {
            return f.reservations.holdSeats("same-request", u.id(), "once", seats).id();
          } catch (BookingException e) {
            // A loser of the race may see the seats taken by its own twin before the twin commits.
            assertThat(e.error()).isEqualTo(BookingError.UNAVAILABLE);
            return null;
          }
        }));
      }
      go.countDown();
      List<UUID> got = new ArrayList<>();
      for (Future<UUID> id : ids) {
        if (id.get() != null) {
          got.add(id.get());
        }
      }
      assertThat(got).isNotEmpty();
      assertThat(got.stream().distinct()).hasSize(1);
    }
    assertThat(f.reservations.listMine("same-request", u.id())).hasSize(1);
    f.assertInvariants();
  }
}
