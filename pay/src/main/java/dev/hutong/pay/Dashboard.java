package dev.hutong.pay;

import dev.hutong.identity.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator's live figures, read from the trades and the outbox: payments per second over the
 * last minute, today's (GMT+8) volume, count and success rate (paid among trades created today),
 * the notification backlog, the top merchants by today's volume, and the last hour minute by minute
 * (what the console's charts draw, so a reloaded console has its history at once).
 */
public final class Dashboard {
  /** The minutes of the charts' history: an hour, one bucket a minute. */
  static final int MINUTES = 60;

  private final Jdbi jdbi;
  private final Clock clock;

  public Dashboard(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** One merchant's share of today's volume. */
  public record TopMerchant(UUID merchantId, String name, long volumeFen, long payments) {}

  /** One minute of the last hour: trades created in it, payments in it and their volume. */
  public record Minute(Instant start, long created, long paid, long volumeFen) {}

  /** The figures at {@code at}. */
  public record Figures(Instant at, double paymentsPerSecond, long paymentsToday, long volumeTodayFen,
      long createdToday, double successRate, long notificationBacklog, long blockedToday,
      List<TopMerchant> topMerchants, List<Minute> lastHour) {}

  public Figures figures() {
    Instant now = clock.instant();
    Instant dayStart = now.atZone(AlipayTimes.ZONE).toLocalDate().atStartOfDay(AlipayTimes.ZONE)
        .toInstant();
    return Tx.read(jdbi, h -> {
      long lastMinute = h.createQuery("SELECT count(*) FROM pay_trade WHERE paid_at > :since")
          .bind("since", Tx.at(now.minusSeconds(60))).mapTo(Long.class).one();
      long[] today = h.createQuery("SELECT count(*), coalesce(sum(total_amount), 0) FROM pay_trade"
              + " WHERE paid_at >= :start").bind("start", Tx.at(dayStart))
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
      long[] created = h.createQuery("SELECT count(*), count(paid_at) FROM pay_trade"
              + " WHERE created_at >= :start").bind("start", Tx.at(dayStart))
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
      long backlog = h.createQuery("SELECT count(*) FROM pay_notification"
          + " WHERE delivered_at IS NULL AND gave_up_at IS NULL").mapTo(Long.class).one();
      long blocked = h.createQuery("SELECT count(*) FROM pay_blocked_payment WHERE at >= :start")
          .bind("start", Tx.at(dayStart)).mapTo(Long.class).one();
      List<TopMerchant> top = h.createQuery("""
              SELECT t.merchant_id, m.name, sum(t.total_amount) v, count(*) n FROM pay_trade t
                JOIN identity_merchant m ON m.id = t.merchant_id
               WHERE t.paid_at >= :start GROUP BY t.merchant_id, m.name ORDER BY v DESC LIMIT 5""")
          .bind("start", Tx.at(dayStart))
          .map((rs, ctx) -> new TopMerchant(Tx.uuid(rs, "merchant_id"), rs.getString("name"),
              rs.getLong("v"), rs.getLong("n"))).list();
      double rate = created[0] == 0 ? 1.0 : (double) created[1] / created[0];
      return new Figures(now, lastMinute / 60.0, today[0], today[1], created[0], rate, backlog,
          blocked, top, lastHour(h, now));
    });
  }

  /** {@link #MINUTES} buckets ending with the current minute, empty minutes included. */
  private static List<Minute> lastHour(Handle h, Instant now) {
    Instant first = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(MINUTES - 1));
    Map<Instant, Long> created = new HashMap<>();
    h.createQuery("SELECT date_trunc('minute', created_at) m, count(*) n FROM pay_trade"
            + " WHERE created_at >= :first GROUP BY 1").bind("first", Tx.at(first))
        .map((rs, ctx) -> Map.entry(rs.getTimestamp("m").toInstant(), rs.getLong("n")))
        .forEach(e -> created.put(e.getKey(), e.getValue()));
    Map<Instant, long[]> paid = new HashMap<>();
    h.createQuery("SELECT date_trunc('minute', paid_at) m, count(*) n, sum(total_amount) v"
            + " FROM pay_trade WHERE paid_at >= :first GROUP BY 1").bind("first", Tx.at(first))
        .map((rs, ctx) -> Map.entry(rs.getTimestamp("m").toInstant(),
            new long[] {rs.getLong("n"), rs.getLong("v")}))
        .forEach(e -> paid.put(e.getKey(), e.getValue()));
    List<Minute> minutes = new ArrayList<>(MINUTES);
    for (int i = 0; i < MINUTES; i++) {
      Instant start = first.plus(Duration.ofMinutes(i));
      long[] p = paid.getOrDefault(start, new long[2]);
      minutes.add(new Minute(start, created.getOrDefault(start, 0L), p[0], p[1]));
    }
    return minutes;
  }
}
