package dev.hutong.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.ledger.LedgerInvariants;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.SignContent;
import dev.hutong.pay.PayInvariants;
import dev.hutong.server.HutongServer;
import dev.hutong.server.ServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * `hutong bench gateway`: signed alipay.trade.pay requests (a merchant scanning users' payment
 * codes) from concurrent clients over loopback against a real server on a durable embedded
 * PostgreSQL; each a full RSA2 round trip whose response signature is verified. In the same run
 * it measures the ceiling: RSA2 signatures per second of the platform key on all cores, since
 * every response needs one. Requests are signed before the clock starts, so the clients' own
 * signing does not take CPU from the server on this one machine; the first fifth of them warm the
 * server up and are not timed, so the figure is the sustained rate of a server past JIT compilation.
 */
public final class GatewayBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final ZoneId GMT8 = ZoneId.of("GMT+8");
  private static final String METHOD = "alipay.trade.pay";
  private static final int USERS = 20;
  /** One yuan a payment: the 0.6 % fee is then one fen, so the merchant nets 0.99. */
  private static final long AMOUNT_FEN = 100;
  private static final long FEE_FEN = 1;
  /** 1/5 of the requests warm the server up untimed. */
  private static final int WARM_UP_DIVISOR = 5;

  /**
   * @param requests payments to send (each needs a payment code, valid 60 s: keep the run short)
   * @param clients concurrent client threads
   * @param signSeconds how long to measure the signing ceiling
   */
  public record Options(int requests, int clients, int signSeconds, String dbUrl) {
    public Options {
      if (requests < 1 || requests > 50_000) {
        throw new IllegalArgumentException("--requests must be 1 to 50000");
      }
      if (clients < 1 || clients > 256) {
        throw new IllegalArgumentException("--clients must be 1 to 256");
      }
      if (signSeconds < 1 || signSeconds > 60) {
        throw new IllegalArgumentException("sign seconds must be 1 to 60");
      }
    }

    public static Options defaults() {
      int cores = Runtime.getRuntime().availableProcessors();
      return new Options(8_000, 8 * cores, 5, null);
    }

    public Options quick() {
      return new Options(Math.min(requests, 3_000), clients, 3, dbUrl);
    }
  }

  public record Result(double rps, double signBoundRps, double p50Ms, double p99Ms, long errors,
      List<String> violations) {
    public double ratio() {
      return signBoundRps == 0 ? 0 : rps / signBoundRps;
    }

    public String resultLine() {
      return String.format(Locale.ROOT, "RESULT bench=gateway rps=%.0f sign_bound_rps=%.0f ratio=%.2f"
          + " p50_ms=%.1f p99_ms=%.1f errors=%d", rps, signBoundRps, ratio(), p50Ms, p99Ms, errors);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public GatewayBenchmark(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Result run() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(Locale.ROOT, "gateway benchmark: %,d alipay.trade.pay requests, %d clients, %d cores%n",
        options.requests(), options.clients(), cores);
    Path dataDir = Files.createTempDirectory("hutong-bench-gateway");
    try (BenchDatabase db = BenchDatabase.open(options.dbUrl(), 4, out);
        HutongServer server = HutongServer.start(ServerConfig.defaults().withPort(0)
            .withDataDirectory(dataDir).withDatabaseUrl(db.url()))) {
      Admin admin = new Admin(http, server.localUrl(), Files.readString(server.operatorTokenFile()).trim());
      KeyPair appKeys = KeyPairs.generateRsa2048();
      String merchantId = admin.post("/admin/merchants", Map.of("name", "Bench Noodles",
          "category", "food", "fee_rate", "0.006")).get("merchant_id").asText();
      JsonNode app = admin.post("/admin/apps", Map.of("merchant_id", merchantId,
          "public_key", KeyPairs.publicKeyBase64(appKeys.getPublic()),
          "name", "Bench till"));
      String appId = app.get("app_id").asText();
      PublicKey platformPublic = KeyPairs.parsePublicKey(app.get("platform_public_key").asText());
      List<String> users = createUsers(admin);
      // The server's own key file (this run's temporary data directory): the same key, size and
      // provider the server signs every response with. Measured before the payment codes are
      // issued, so that none of their 60 s is spent on it.
      PrivateKey platformPrivate = KeyPairs.parsePrivateKey(
          Files.readString(dataDir.resolve("platform-key.pem")));
      double signBound = signBound(platformPrivate, cores);
      List<byte[]> bodies = new ArrayList<>();
      List<String> queries = new ArrayList<>();
      prepare(admin, users, appId, appKeys.getPrivate(), queries, bodies, 2 * cores);
      Histogram latency = new Histogram(60_000_000_000L, 3);
      AtomicLong errors = new AtomicLong();
      double rps = fire(server.localUrl(), queries, bodies, platformPublic, latency, errors);
      List<String> violations = checkConsistency(db, admin, merchantId, options.requests() - errors.get());
      Result r = new Result(rps, signBound, latency.getValueAtPercentile(50) / 1e6,
          latency.getValueAtPercentile(99) / 1e6, errors.get(), violations);
      out.printf(Locale.ROOT, "gateway: %,.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors%n",
          r.rps(), r.p50Ms(), r.p99Ms(), r.errors());
      out.printf(Locale.ROOT, "ceiling: %,.0f RSA2 signatures/s of the platform key on %d cores;"
          + " ratio %.2f%n", r.signBoundRps(), cores, r.ratio());
      out.println(r.resultLine());
      return r;
    } finally {
      deleteTree(dataDir);
    }
  }

  private List<String> createUsers(Admin admin) throws IOException, InterruptedException {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(admin.post("/admin/users", Map.of("phone", String.format(Locale.ROOT, "+86139%08d", i),
          "password", "bench-password-" + i, "pin", "135790", "top_up", "100000.00"))
          .get("user_id").asText());
    }
    out.printf(Locale.ROOT, "created %d users with 100000.00 each%n", USERS);
    return users;
  }

  /**
   * Issues one payment code per request and signs every request, before the clock starts, from
   * {@code threads} threads: the codes live 60 s, so the sooner the last is issued the better.
   */
  private void prepare(Admin admin, List<String> users, String appId, PrivateKey appKey,
      List<String> queries, List<byte[]> bodies, int threads) throws Exception {
    BenchProgress progress = new BenchProgress(out, "signed requests", options.requests());
    String timestamp = LocalDateTime.now(GMT8).format(TIMESTAMP);
    String[] query = new String[options.requests()];
    byte[][] body = new byte[options.requests()][];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      workers.add(Thread.ofPlatform().start(() -> {
        for (int i = next.getAndIncrement(); i < query.length && failures.isEmpty();
            i = next.getAndIncrement()) {
          try {
            signOne(admin, users.get(i % users.size()), appId, appKey, timestamp, i, query, body);
          } catch (Exception e) {
            failures.add(e);
          }
          int n = done.incrementAndGet();
          synchronized (progress) {
            progress.update(n);
          }
        }
      }));
    }
    for (Thread t : workers) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw failures.peek();
    }
    progress.done();
    queries.addAll(List.of(query));
    bodies.addAll(List.of(body));
  }

  /** Request {@code i}: a fresh payment code of {@code user}, signed with the app's key. */
  private static void signOne(Admin admin, String user, String appId, PrivateKey appKey,
      String timestamp, int i, String[] query, byte[][] body) throws Exception {
    String code = admin.post("/admin/users/" + user + "/payment-codes", Map.of()).get("auth_code").asText();
    String biz = JSON.writeValueAsString(Map.of("out_trade_no", "bench-" + i, "scene", "bar_code",
        "auth_code", code, "total_amount", "1.00", "subject", "Noodles"));
    Map<String, String> protocol = new TreeMap<>(Map.of("app_id", appId, "method", METHOD,
        "format", "JSON", "charset", "utf-8", "sign_type", "RSA2", "timestamp", timestamp,
        "version", "1.0"));
    Map<String, String> all = new TreeMap<>(protocol);
    all.put("biz_content", biz);
    protocol.put("sign", sign(appKey, SignContent.forRequest(all)));
    query[i] = form(protocol);
    body[i] = form(Map.of("biz_content", biz)).getBytes(StandardCharsets.UTF_8);
  }

  private double signBound(PrivateKey key, int threads) throws Exception {
    byte[] content = "{\"code\":\"10000\",\"msg\":\"Success\",\"trade_no\":\"2026112422001400000000000001\"}"
        .getBytes(StandardCharsets.UTF_8);
    AtomicLong signatures = new AtomicLong();
    long deadline = System.nanoTime() + options.signSeconds() * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          Signature s = Signature.getInstance("SHA256withRSA");
          while (System.nanoTime() < deadline) {
            s.initSign(key);
            s.update(content);
            s.sign();
            signatures.incrementAndGet();
          }
        } catch (java.security.GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (Thread t : workers) {
      t.join();
    }
    return signatures.get() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Sends every request from the clients; returns the sustained rate: requests per second from the
   * moment the first {@link #warmUp} requests have been handed out (they run while the JIT is still
   * compiling the server's code paths, which a long-running server has done long before) to the
   * last answer. Latency is recorded for the timed requests only; errors are counted for all.
   */
  private double fire(String baseUrl, List<String> queries, List<byte[]> bodies, PublicKey platformKey,
      Histogram latency, AtomicLong errors) throws InterruptedException {
    int warmUp = warmUp(queries.size());
    AtomicInteger next = new AtomicInteger();
    AtomicLong timedFrom = new AtomicLong();
    ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < options.clients(); c++) {
      clients.add(Thread.ofPlatform().start(() -> {
        for (int i = next.getAndIncrement(); i < queries.size(); i = next.getAndIncrement()) {
          long t0 = System.nanoTime();
          if (i == warmUp) {
            timedFrom.set(t0);
          }
          String problem = payOnce(baseUrl, queries.get(i), bodies.get(i), platformKey);
          long elapsed = System.nanoTime() - t0;
          if (i >= warmUp) {
            synchronized (latency) {
              latency.recordValue(Math.min(elapsed, latency.getHighestTrackableValue()));
            }
          }
          if (problem != null) {
            errors.incrementAndGet();
            if (firstErrors.size() < 5) {
              firstErrors.add(problem);
            }
          }
        }
      }));
    }
    for (Thread t : clients) {
      t.join();
    }
    long end = System.nanoTime();
    double all = queries.size() / ((end - start) / 1e9);
    double sustained = (queries.size() - warmUp) / ((end - timedFrom.get()) / 1e9);
    firstErrors.forEach(e -> out.println("error: " + e));
    out.printf(Locale.ROOT, "warm-up: the first %,d requests are not timed (JIT compilation);"
        + " all %,d requests together: %,.0f requests/s%n", warmUp, queries.size(), all);
    return sustained;
  }

  /** A fifth of the requests, at least one and leaving at least one timed. */
  static int warmUp(int requests) {
    return requests < 2 ? 0 : Math.max(1, requests / WARM_UP_DIVISOR);
  }

  /** One round trip; null when the payment succeeded and the response signature verified. */
  private String payOnce(String baseUrl, String query, byte[] body, PublicKey platformKey) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create(baseUrl + "gateway.do?" + query))
          .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return checkResponse(response.body(), platformKey);
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Verifies the signature over the exact bytes of the response node, as the official SDK does. */
  private static String checkResponse(String body, PublicKey platformKey) {
    String nodeKey = "\"alipay_trade_pay_response\":";
    int from = body.indexOf(nodeKey);
    int signAt = body.lastIndexOf(",\"sign\":\"");
    if (from < 0 || signAt < 0) {
      return "unexpected response: " + abbreviate(body);
    }
    String node = body.substring(from + nodeKey.length(), signAt);
    String sign = body.substring(signAt + 9, body.indexOf('"', signAt + 9));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(platformKey);
      s.update(node.getBytes(StandardCharsets.UTF_8));
      if (!s.verify(Base64.getDecoder().decode(sign))) {
        return "response signature did not verify";
      }
      JsonNode n = JSON.readTree(node);
      return "10000".equals(n.path("code").asText()) ? null : "payment failed: " + abbreviate(node);
    } catch (java.security.GeneralSecurityException | IOException | IllegalArgumentException e) {
      return "bad response: " + e.getMessage();
    }
  }

  /** Every paid trade must be in the ledger, and the merchant holds exactly what was paid less fees. */
  private List<String> checkConsistency(BenchDatabase db, Admin admin, String merchantId, long paid)
      throws Exception {
    List<String> violations = new ArrayList<>(LedgerInvariants.violations(db.pool()));
    violations.addAll(PayInvariants.violations(db.pool()));
    String balance = admin.get("/admin/merchants/" + merchantId + "/balance").get("balance").asText();
    long expectedFen = paid * (AMOUNT_FEN - FEE_FEN);
    String expected = String.format(Locale.ROOT, "%d.%02d", expectedFen / 100, expectedFen % 100);
    if (!expected.equals(balance)) {
      violations.add("merchant balance " + balance + ", expected " + expected + " for " + paid + " payments");
    }
    out.println(violations.isEmpty() ? "consistency: ledger and trades agree, merchant balance "
        + balance : "CONSISTENCY VIOLATIONS: " + violations);
    return violations;
  }

  private static String sign(PrivateKey key, String content) throws java.security.GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key);
    s.update(content.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(s.sign());
  }

  private static String form(Map<String, String> params) {
    StringBuilder b = new StringBuilder();
    params.forEach((k, v) -> {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return b.toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The operator's admin API, as the CLI uses it. */
  private record Admin(HttpClient http, String baseUrl, String token) {
    JsonNode post(String path, Map<String, String> body) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(URI.create(baseUrl + path.substring(1)))
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    JsonNode get(String path) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(URI.create(baseUrl + path.substring(1))).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
      HttpResponse<String> r = http.send(request.header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("admin API answered " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body());
    }
  }
}
