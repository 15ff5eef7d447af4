package dev.hutong.pay;

import static dev.hutong.pay.PayFixture.PIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.db.MutableClock;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.Tx;
import dev.hutong.identity.User;
import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("db")
class NotificationDispatcherTest {
  /** 4m becomes 67 ms, 10m 167 ms, 1h 1 s. */
  static final double SCALE = 1.0 / 3600;
  static PayFixture f;

  @BeforeAll
  static void start() {
    f = new PayFixture("notify", Clock.systemUTC(), PaySettings.defaults("http://127.0.0.1:8080"));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @AfterEach
  void invariants() throws Exception {
    f.assertInvariants();
  }

  static NotifySettings settings(double scale) {
    return new NotifySettings(scale, 16, 8, 5, 20);
  }

  /** A merchant endpoint that fails the first {@code failures} deliveries of each notification. */
  static final class FakeMerchant implements NotificationTransport {
    final int failures;
    final long delayMillis;
    final List<OutboundNotification> received = new CopyOnWriteArrayList<>();
    final List<Instant> times = new CopyOnWriteArrayList<>();
    final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger();

    FakeMerchant(int failures, long delayMillis) {
      this.failures = failures;
      this.delayMillis = delayMillis;
    }

    @Override
    public String send(OutboundNotification n) throws Exception {
      if (inFlight.computeIfAbsent(n.id(), k -> new AtomicInteger()).incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      try {
        received.add(n);
        times.add(Instant.now());
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        int attempt = n.attempt();
        if (attempt <= failures) {
          return switch (attempt % 3) {
            case 1 -> throw new java.io.IOException("connection refused");
            case 2 -> "fail";
            default -> "success ";
          };
        }
        return "success";
      } finally {
        inFlight.get(n.id()).decrementAndGet();
      }
    }

    long sendsOf(UUID id) {
      return received.stream().filter(n -> n.id().equals(id)).count();
    }
  }

  static UUID enqueue(String tradeNo, Instant now) {
    UUID id = Ids.next();
    f.jdbi.useHandle(h -> h.createUpdate("INSERT INTO pay_notification (id, notify_id, event_key,"
            + " trade_no, app_id, notify_url, fields, created_at, next_attempt_at) VALUES (:id, :nid,"
            + " :key, :t, 'app', 'http://127.0.0.1:9/n', :fields, :now, :now)")
        .bind("id", Tx.uuid(id)).bind("nid", id.toString().replace("-", ""))
        .bind("key", tradeNo + ":test:" + id).bind("t", tradeNo)
        .bind("fields", FormCodec.encode(Map.of("trade_no", tradeNo, "trade_status", "TRADE_SUCCESS")))
        .bind("now", Tx.at(now)).execute());
    return id;
  }

  static List<String> outcomes(UUID id) {
    return f.jdbi.withHandle(h -> h.createQuery("SELECT outcome FROM pay_notification_attempt"
            + " WHERE notification_id = :id ORDER BY attempt").bind("id", Tx.uuid(id))
        .mapTo(String.class).list());
  }

  static boolean delivered(UUID id) {
    return f.jdbi.withHandle(h -> h.createQuery("SELECT delivered_at IS NOT NULL FROM pay_notification"
        + " WHERE id = :id").bind("id", Tx.uuid(id)).mapTo(Boolean.class).one());
  }

  static void await(java.util.function.BooleanSupplier done, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not done within " + max);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void firstDeliveryFollowsThePaymentWithinASecond() throws Exception {
    FakeMerchant merchant = new FakeMerchant(0, 0);
    // A slow poll: only the wake-up can make the delivery this prompt.
    NotificationDispatcher d = new NotificationDispatcher(f.jdbi, merchant,
        new NotifySettings(1.0, 16, 8, 5, 10_000), Clock.systemUTC());
    TradeService trades = new TradeService(f.jdbi, f.ledger, f.users, f.merchants, f.openIds,
        f.codes, f.settings, Clock.systemUTC(), d::wake);
    Cashier cashier = new Cashier(trades, f.pins, f.collectCodes);
    d.start();
    try {
      d.runOnce(); // drain rows of other tests
      Thread.sleep(50); // let the loop settle into its 10 s poll
      User buyer = f.user(10_00);
      Merchant m = f.merchant("0.006");
      Trade t = trades.create(f.create(m, "n-1", 1_00, buyer.id()));
      Instant before = Instant.now();
      Trade paid = cashier.confirm(buyer.id(), t.tradeNo(), PIN).trade();
      await(() -> merchant.received.stream().anyMatch(n -> n.tradeNo().equals(t.tradeNo())),
          Duration.ofSeconds(1));
      OutboundNotification n = merchant.received.stream()
          .filter(x -> x.tradeNo().equals(t.tradeNo())).findFirst().orElseThrow();
      assertThat(Duration.between(before, merchant.times.get(merchant.received.indexOf(n))))
          .isLessThan(Duration.ofSeconds(1));
      assertThat(n.attempt()).isEqualTo(1);
      assertThat(n.notifyUrl()).isEqualTo(PayFixture.NOTIFY_URL);
      assertThat(n.fields()).containsKey("notify_time").containsEntry("trade_no", paid.tradeNo())
          .containsEntry("notify_id", n.notifyId()).containsEntry("trade_status", "TRADE_SUCCESS");
      assertThat(n.fields().get("notify_time")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    } finally {
      d.close();
    }
  }

  @Test
  void retriesFollowTheScaledScheduleUntilTheBodyIsExactlySuccess() throws Exception {
    FakeMerchant merchant = new FakeMerchant(3, 0);
    NotificationDispatcher d = new NotificationDispatcher(f.jdbi, merchant, settings(SCALE),
        Clock.systemUTC());
    d.runOnce(); // drain rows of other tests
    UUID id = enqueue("retry-1", Instant.now());
    d.start();
    try {
      d.wake();
      await(() -> delivered(id), Duration.ofSeconds(5));
    } finally {
      d.close();
    }
    assertThat(merchant.sendsOf(id)).isEqualTo(4);
    assertThat(outcomes(id)).containsExactly("FAILED", "REJECTED", "REJECTED", "DELIVERED");
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < merchant.received.size(); i++) {
      if (merchant.received.get(i).id().equals(id)) {
        times.add(merchant.times.get(i));
      }
    }
    List<Duration> intervals = NotifySettings.ALIPAY_INTERVALS;
    for (int k = 1; k < times.size(); k++) {
      Duration gap = Duration.between(times.get(k - 1), times.get(k));
      Duration scheduled = Duration.ofNanos(Math.round(intervals.get(k - 1).toNanos() * SCALE));
      assertThat(gap).as("gap before attempt %d", k + 1)
          .isGreaterThanOrEqualTo(scheduled.minusMillis(5))
          .isLessThan(scheduled.plusMillis(500));
    }
  }

  @Test
  void givesUpAfterEightDeliveriesOnAlipaysSchedule() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T02:00:00Z"));
    FakeMerchant merchant = new FakeMerchant(100, 0);
    NotificationDispatcher d = new NotificationDispatcher(f.jdbi, merchant, settings(1.0), clock);
    clock.advance(Duration.ofDays(3650)); // past every row other tests left
    while (d.runOnce() > 0) {
      clock.advance(Duration.ofDays(2));
    }
    merchant.received.clear();
    UUID id = enqueue("giveup-1", clock.instant());
    assertThat(d.runOnce()).isEqualTo(1);
    for (Duration interval : NotifySettings.ALIPAY_INTERVALS) {
      clock.advance(interval.minusSeconds(1));
      assertThat(d.runOnce()).as("not due before %s", interval).isZero();
      clock.advance(Duration.ofSeconds(1));
      assertThat(d.runOnce()).as("due after %s", interval).isEqualTo(1);
    }
    assertThat(merchant.sendsOf(id)).isEqualTo(8);
    clock.advance(Duration.ofDays(2));
    assertThat(d.runOnce()).isZero();
    assertThat(outcomes(id)).hasSize(8);
    boolean gaveUp = f.jdbi.withHandle(h -> h.createQuery("SELECT gave_up_at IS NOT NULL"
        + " AND delivered_at IS NULL FROM pay_notification WHERE id = :id").bind("id", Tx.uuid(id))
        .mapTo(Boolean.class).one());
    assertThat(gaveUp).isTrue();
  }

  @Test
  void leasesKeepConcurrentDispatchersFromSendingOneNotificationTwiceAtOnce() throws Exception {
    FakeMerchant merchant = new FakeMerchant(0, 50);
    NotificationDispatcher a = new NotificationDispatcher(f.jdbi, merchant, settings(SCALE),
        Clock.systemUTC());
    NotificationDispatcher b = new NotificationDispatcher(f.jdbi, merchant, settings(SCALE),
        Clock.systemUTC());
    a.runOnce();
    merchant.received.clear();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      ids.add(enqueue("lease-" + i, Instant.now()));
    }
    a.start();
    b.start();
    try {
      a.wake();
      b.wake();
      await(() -> ids.stream().allMatch(NotificationDispatcherTest::delivered), Duration.ofSeconds(10));
    } finally {
      a.close();
      b.close();
    }
    assertThat(merchant.overlaps.get()).isZero();
    for (UUID id : ids) {
      assertThat(merchant.sendsOf(id)).isEqualTo(1);
      assertThat(outcomes(id)).containsExactly("DELIVERED");
    }
  }

  @Test
  void aLeaseLeftByADeadDispatcherRunsOutAndAnotherOneDelivers() {
    MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofDays(7300)));
    FakeMerchant ok = new FakeMerchant(0, 0);
    NotificationDispatcher d = new NotificationDispatcher(f.jdbi, ok, settings(1.0), clock);
    while (d.runOnce() > 0) {
      clock.advance(Duration.ofDays(2));
    }
    UUID id = enqueue("dead-1", clock.instant());
    // A dispatcher claimed it and died mid-send: only its lease remains.
    f.jdbi.useHandle(h -> h.createUpdate("UPDATE pay_notification SET lease_until = :until,"
            + " lease_token = :token WHERE id = :id")
        .bind("until", Tx.at(clock.instant().plusSeconds(5))).bind("token", Tx.uuid(UUID.randomUUID()))
        .bind("id", Tx.uuid(id)).execute());
    assertThat(d.runOnce()).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(d.runOnce()).isEqualTo(1);
    assertThat(delivered(id)).isTrue();
  }

  @Test
  void deliveryResumesAfterARestart() {
    MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofDays(14600)));
    FakeMerchant down = new FakeMerchant(100, 0);
    NotificationDispatcher first = new NotificationDispatcher(f.jdbi, down, settings(1.0), clock);
    while (first.runOnce() > 0) {
      clock.advance(Duration.ofDays(2));
    }
    UUID id = enqueue("restart-1", clock.instant());
    assertThat(first.runOnce()).isEqualTo(1);
    first.close(); // the process stops
    FakeMerchant up = new FakeMerchant(0, 0);
    NotificationDispatcher second = new NotificationDispatcher(f.jdbi, up, settings(1.0), clock);
    assertThat(second.runOnce()).isZero(); // not due yet: the schedule survived the restart
    clock.advance(Duration.ofMinutes(4));
    assertThat(second.runOnce()).isEqualTo(1);
    assertThat(up.received.get(0).attempt()).isEqualTo(2);
    assertThat(outcomes(id)).containsExactly("FAILED", "DELIVERED");
    second.close();
  }
}
