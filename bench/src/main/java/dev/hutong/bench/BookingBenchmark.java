package dev.hutong.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.server.HutongServer;
import dev.hutong.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * `hutong bench booking`: a rush on one showtime. {@code attempts} seat-hold requests (each for
 * one random seat of a {@code seats}-seat hall) from concurrent clients, through the same HTTP API
 * and per-app sessions the cinema template uses, against a real server on a fresh durable
 * PostgreSQL. Every seat must end up held exactly once: held = seats, double_booked = 0 (counted
 * twice: from the answers, and from the database afterwards).
 */
public final class BookingBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final String PIN = "123456";

  /**
   * @param warmups rushes on other showtimes of the same venue before the measured one (not
   *     counted), so that the measured rush runs on a warm JVM, as a server that has been up for a
   *     while does; 0 measures a cold server
   */
  public record Options(int attempts, int seats, int clients, int users, int warmups,
      String dbUrl) {
    public Options {
      if (attempts < 1 || attempts > 200_000) {
        throw new IllegalArgumentException("--attempts must be 1 to 200000");
      }
      if (seats < 1 || seats > 2_000 || seats % 20 != 0) {
        throw new IllegalArgumentException("--seats must be a multiple of 20 up to 2000");
      }
      if (clients < 1 || clients > 512) {
        throw new IllegalArgumentException("--clients must be 1 to 512");
      }
      if (users < 1 || users > 1_000) {
        throw new IllegalArgumentException("users must be 1 to 1000");
      }
      if (warmups < 0 || warmups > 5) {
        throw new IllegalArgumentException("--warmup must be 0 to 5");
      }
    }

    public static Options defaults() {
      return new Options(10_000, 200, 64, 40, 0, null);
    }
  }

  public record Result(int attempts, int seats, int held, int refused, long errors,
      int doubleBooked, double holdsPerSecond, double p50Ms, double p99Ms) {
    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT bench=booking attempts=%d seats=%d held=%d"
          + " double_booked=%d holds_per_s=%.0f", attempts, seats, held, doubleBooked,
          holdsPerSecond);
    }

    public boolean ok() {
      return held == seats && doubleBooked == 0 && errors == 0;
    }
  }

  private final Options options;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  public BookingBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  private record Attempt(String token, byte[] body) {}

  /** When the last seat was won (System.nanoTime), and how many answers came before it. */
  private final AtomicLong lastHeldAt = new AtomicLong();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger answeredWhenLastHeld = new AtomicInteger();

  /**
   * The rush has two phases of different cost: until every seat is won (database writes: the
   * claim, the trade), then refusals only. Printed apart, so a figure can be told where it goes.
   */
  private void printPhases(long started, double seconds, int attempts) {
    double untilFull = (lastHeldAt.get() - started) / 1e9;
    int before = answeredWhenLastHeld.get();
    out.printf(Locale.ROOT, "phases: every seat won after %.2f s (%,d answers, %.0f/s); then %,d"
        + " refusals in %.2f s (%.0f/s)%n", untilFull, before, before / untilFull,
        attempts - before, seconds - untilFull, (attempts - before) / (seconds - untilFull));
  }

  public Result run() throws Exception {
    out.printf(Locale.ROOT, "booking benchmark: %,d hold attempts on a %d-seat showtime, %d"
        + " clients, %d users, %d cores%n", options.attempts(), options.seats(),
        options.clients(), options.users(), Runtime.getRuntime().availableProcessors());
    Path dataDir = Files.createTempDirectory("hutong-bench-booking");
    try (BenchDatabase db = BenchDatabase.open(options.dbUrl(), 2, out);
        HutongServer server = HutongServer.start(ServerConfig.defaults().withPort(0)
            .withDataDirectory(dataDir).withDatabaseUrl(db.url()))) {
      String base = server.localUrl();
      Client op = new Client(http, base, Files.readString(server.operatorTokenFile()).trim());
      List<String> showtimes = setUpCinema(op);
      String appId = showtimes.get(0);
      List<String> tokens = sessions(op, appId);
      int warmHeld = 0;
      for (int w = 1; w <= options.warmups(); w++) {
        warmHeld += warmUp(base + "api/booking/" + appId + "/holds", plan(tokens,
            seatIds(op, appId, showtimes.get(1 + w)), "warm-" + w + "-"));
      }
      List<String> seats = seatIds(op, appId, showtimes.get(1));
      List<Attempt> attempts = plan(tokens, seats, "rush-");
      out.printf(Locale.ROOT, "prepared %,d attempts; firing%n", attempts.size());
      Histogram latency = new Histogram(60_000_000_000L, 3);
      AtomicInteger held = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicLong errors = new AtomicLong();
      Map<String, Integer> winners = new ConcurrentHashMap<>();
      long jvmCpuBefore = jvmCpuNanos();
      long dbCpuBefore = db.cpuNanos();
      long started = System.nanoTime();
      fire(base + "api/booking/" + appId + "/holds", attempts, latency, held, refused, errors,
          winners);
      double seconds = (System.nanoTime() - started) / 1e9;
      long jvmCpu = jvmCpuNanos() - jvmCpuBefore;
      long dbCpu = dbCpuBefore < 0 ? -1 : db.cpuNanos() - dbCpuBefore;
      double refusalsPerSecond = refusalsOnly(base + "api/booking/" + appId + "/holds",
          plan(tokens, seats, "late-"), latency.copy(), winners, errors);
      int doubleBooked = (int) winners.values().stream().filter(n -> n > 1).count()
          + doubleBookedInDatabase(db);
      int heldInDatabase = heldInDatabase(db) - warmHeld;
      if (heldInDatabase != held.get()) {
        out.printf(Locale.ROOT, "MISMATCH: clients saw %d holds, the database has %d%n",
            held.get(), heldInDatabase);
        errors.incrementAndGet();
      }
      Result r = new Result(attempts.size(), seats.size(), held.get(), refused.get(), errors.get(),
          doubleBooked, attempts.size() / seconds, latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6);
      out.printf(Locale.ROOT, "%.2f s: %d held, %d refused (seat taken), %d errors;"
          + " latency p50 %.1f ms, p99 %.1f ms%n", seconds, r.held(), r.refused(), r.errors(),
          r.p50Ms(), r.p99Ms());
      printPhases(started, seconds, attempts.size());
      printCpu(jvmCpu, dbCpu, seconds, attempts.size());
      out.printf(Locale.ROOT, "same server, every seat held: %,d more attempts (new request ids),"
          + " all refused, at %.0f/s: the HTTP path without a database write, the ceiling a rush"
          + " can approach%n", attempts.size(), refusalsPerSecond);
      out.println(r.resultLine());
      return r;
    } finally {
      GatewayBenchmark.deleteTree(dataDir);
    }
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * What the rush cost in CPU, whoever else shares the machine: the benchmark's JVM (server and
   * clients together) and PostgreSQL. Cores divided by the CPU time per attempt is the rate the
   * same code could reach with the machine to itself (a bound, not a measurement: it assumes the
   * work spreads over every core and nothing waits on the disk).
   */
  private void printCpu(long jvmNanos, long dbNanos, double seconds, int attempts) {
    int cores = Runtime.getRuntime().availableProcessors();
    double perAttemptUs = (jvmNanos + Math.max(0, dbNanos)) / 1e3 / attempts;
    out.printf(Locale.ROOT, "cpu: %.2f s in the JVM (server and clients), %s in PostgreSQL, over"
        + " %.2f s on %d cores (%.0f%% of them): %.0f us per attempt, so at most %.0f attempts/s"
        + " with the machine to itself%n", jvmNanos / 1e9,
        dbNanos < 0 ? "n/a (external)" : String.format(Locale.ROOT, "%.2f s", dbNanos / 1e9),
        seconds, cores, 100.0 * (jvmNanos + Math.max(0, dbNanos)) / 1e9 / seconds / cores,
        perAttemptUs, cores * 1e6 / perAttemptUs);
  }

  /**
   * A rush that is not measured, on a showtime of its own: every seat must be held once, as in
   * the measured one. Leaves the phase counters as they were before it.
   *
   * @return seats held
   */
  private int warmUp(String url, List<Attempt> attempts) throws Exception {
    AtomicInteger held = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    long started = System.nanoTime();
    fire(url, attempts, new Histogram(60_000_000_000L, 3), held, new AtomicInteger(), errors,
        new ConcurrentHashMap<>());
    out.printf(Locale.ROOT, "warm-up rush on another showtime (not counted): %d held, %d errors,"
        + " %.0f attempts/s%n", held.get(), errors.get(),
        attempts.size() / ((System.nanoTime() - started) / 1e9));
    if (held.get() != options.seats() || errors.get() != 0) {
      throw new IllegalStateException("the warm-up rush held " + held.get() + " of "
          + options.seats() + " seats with " + errors.get() + " errors");
    }
    answered.set(0);
    lastHeldAt.set(0);
    answeredWhenLastHeld.set(0);
    return held.get();
  }

  /** The app id, then the measured showtime, then one showtime per warm-up rush. */
  private List<String> setUpCinema(Client op) throws Exception {
    String merchant = op.send("POST", "admin/merchants", Map.of("name", "Bench Cinema",
        "category", "leisure", "fee_rate", "0.006")).get("merchant_id").asText();
    String appId = op.send("POST", "admin/apps", Map.of("merchant_id", merchant, "public_key",
        KeyPairs.publicKeyBase64(KeyPairs.generateRsa2048().getPublic()), "name",
        "Bench Cinema")).get("app_id").asText();
    String m = "api/booking/merchant/" + appId;
    op.send("PUT", m + "/venue", Map.of("merchant_id", merchant, "kind", "CINEMA", "name",
        "Bench Cinema"));
    String row = "SSSSSSSSSS_SSSSSSSSSS"; // 20 seats and an aisle
    String hall = op.send("POST", m + "/halls", Map.of("name", "Rush", "rows",
        Collections.nCopies(options.seats() / 20, row), "classes", Map.of("S", "Standard")))
        .get("hall_id").asText();
    List<String> ids = new ArrayList<>(List.of(appId));
    for (int i = 0; i <= options.warmups(); i++) {
      String starts = LocalDate.now(ZONE).plusDays(1 + i).atTime(20, 0).atZone(ZONE).toInstant()
          .toString();
      ids.add(op.send("POST", m + "/showtimes", Map.of("hall_id", hall, "film", "Premiere",
          "minutes", 120, "starts_at", starts, "prices", Map.of("S", "40.00")))
          .get("showtime_id").asText());
    }
    return ids;
  }

  private List<String> seatIds(Client op, String appId, String showtime) throws Exception {
    List<String> ids = new ArrayList<>();
    op.send("GET", "api/booking/" + appId + "/showtimes/" + showtime + "/seats", null)
        .get("seats").forEach(s -> ids.add(s.get("id").asText()));
    if (ids.size() != options.seats()) {
      throw new IllegalStateException("the hall has " + ids.size() + " seats, not "
          + options.seats());
    }
    return ids;
  }

  /** Users with wallets, each signed in to the app the way the template does (an OAuth code). */
  private List<String> sessions(Client op, String appId) throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < options.users(); i++) {
      String user = op.send("POST", "admin/users", Map.of("phone", "1360000" + String.format(
          Locale.ROOT, "%04d", i), "password", "bench-password", "pin", PIN, "top_up", "1000.00"))
          .get("user_id").asText();
      String code = op.send("POST", "admin/oauth/codes", Map.of("user_id", user, "app_id", appId,
          "scopes", "auth_base")).get("auth_code").asText();
      tokens.add(op.send("POST", "api/booking/" + appId + "/session", Map.of("auth_code", code))
          .get("token").asText());
    }
    return tokens;
  }

  /**
   * The same-run physical limit beside the figure: once every seat is held, the same number of
   * attempts again (new request ids) must all be refused; their rate is the server's HTTP,
   * session and refusal path with no database write. A seat won here is a double booking
   * ({@code winners} counts it).
   */
  private double refusalsOnly(String url, List<Attempt> attempts, Histogram scratch,
      Map<String, Integer> winners, AtomicLong errors) throws InterruptedException {
    AtomicInteger held = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    long started = System.nanoTime();
    fire(url, attempts, scratch, held, refused, errors, winners);
    double seconds = (System.nanoTime() - started) / 1e9;
    if (refused.get() != attempts.size()) {
      out.printf(Locale.ROOT, "MISMATCH: %d of %d late attempts were refused (%d held)%n",
          refused.get(), attempts.size(), held.get());
      errors.incrementAndGet();
    }
    return attempts.size() / seconds;
  }

  private List<Attempt> plan(List<String> tokens, List<String> seats, String prefix)
      throws IOException {
    Random random = new Random(42);
    List<Attempt> attempts = new ArrayList<>(options.attempts());
    for (int i = 0; i < options.attempts(); i++) {
      String seat = seats.get(random.nextInt(seats.size()));
      attempts.add(new Attempt(tokens.get(i % tokens.size()), JSON.writeValueAsBytes(Map.of(
          "request_id", prefix + i, "seats", List.of(seat)))));
    }
    return attempts;
  }

  private void fire(String url, List<Attempt> attempts, Histogram latency, AtomicInteger held,
      AtomicInteger refused, AtomicLong errors, Map<String, Integer> winners)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(options.clients());
    String path = URI.create(url).getRawPath();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < options.clients(); c++) {
        pool.submit(() -> {
          try (LoopbackHttp connection = new LoopbackHttp(URI.create(url))) {
            for (int i = next.getAndIncrement(); i < attempts.size(); i = next.getAndIncrement()) {
              one(connection, path, attempts.get(i), latency, held, refused, errors, winners);
            }
          } catch (IOException e) {
            errors.incrementAndGet();
          } finally {
            done.countDown();
          }
        });
      }
      done.await();
    }
  }

  private void one(LoopbackHttp connection, String path, Attempt a, Histogram latency,
      AtomicInteger held, AtomicInteger refused, AtomicLong errors, Map<String, Integer> winners)
      throws IOException {
    long t0 = System.nanoTime();
    try {
      LoopbackHttp.Response r = connection.post(path, a.token(), a.body());
      synchronized (latency) {
        latency.recordValue(Math.min(System.nanoTime() - t0, 59_000_000_000L));
      }
      int n = answered.incrementAndGet();
      if (r.status() == 201) {
        held.incrementAndGet();
        synchronized (lastHeldAt) {
          lastHeldAt.set(System.nanoTime());
          answeredWhenLastHeld.set(n);
        }
        JsonNode seats = JSON.readTree(a.body()).get("seats");
        winners.merge(seats.get(0).asText(), 1, Integer::sum);
      } else if (r.status() == 409) {
        refused.incrementAndGet();
      } else {
        if (errors.incrementAndGet() <= 5) {
          out.println("unexpected answer " + r.status() + ": " + new String(r.body(),
              java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      errors.incrementAndGet();
      connection.close(); // the next attempt opens a new connection
    }
  }

  private static int doubleBookedInDatabase(BenchDatabase db) throws Exception {
    return count(db, "SELECT count(*) FROM (SELECT ru.unit_id FROM booking_reservation_unit ru"
        + " JOIN booking_reservation r ON r.id = ru.reservation_id"
        + " WHERE r.status IN ('HELD', 'CONFIRMED') GROUP BY ru.unit_id HAVING count(*) > 1) d");
  }

  private static int heldInDatabase(BenchDatabase db) throws Exception {
    return count(db, "SELECT count(*) FROM booking_reservation WHERE status = 'HELD'"
        + " AND trade_no IS NOT NULL");
  }

  private static int count(BenchDatabase db, String sql) throws Exception {
    try (Connection c = db.pool().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private record Client(HttpClient http, String baseUrl, String token) {
    JsonNode send(String method, String path, Object body) throws IOException,
        InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method,
          body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers
          .ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": "
            + r.body());
      }
      return JSON.readTree(r.body());
    }
  }
}
