package dev.hutong.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.Pools;
import dev.hutong.db.TestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a ledger under load with SIGKILL, 20 times, and checks after each kill that nothing it
 * acknowledged was lost, nothing applied twice, and the committed rows are consistent; each next
 * run starts a fresh Ledger on the same database, retries what was in flight, and carries on.
 */
@Tag("db")
class LedgerCrashTest {
  private static final Logger log = LoggerFactory.getLogger(LedgerCrashTest.class);
  private static final int RUNS = 20;
  private static final long RUN_MILLIS_MIN = 100;
  private static final long RUN_MILLIS_MAX = 2_000;

  /** Everything the children said, over all runs. */
  private final Map<String, List<Transfer>> submitted = new LinkedHashMap<>();
  private final Set<String> acknowledgedRequests = new HashSet<>();
  private final Map<UUID, Transfer> requestedTransfer = new HashMap<>();
  private final Map<UUID, List<CreateTransferResult>> results = new HashMap<>();
  /** In-flight requests whose retry answered exists: committed, then the process died before answering. */
  private int committedButUnacknowledged;

  @Test
  void acknowledgedTransfersSurviveKillNineAndNoneAppliesTwice() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String url = TestDatabases.createDatabase("ledger_crash");
    Path dir = Files.createDirectories(Path.of("target", "ledger-crash"));
    Path retries = dir.resolve("in-flight.txt");
    Path childLog = dir.resolve("child.log");
    Files.deleteIfExists(retries);
    Files.deleteIfExists(childLog);
    try (HikariDataSource ds = Pools.open(url, "crash-check", 4)) {
      Migrations.migrate(ds, Ledger.SCHEMA_MODULE);
      for (int run = 0; run < RUNS; run++) {
        String what = "run " + run + " (seed " + seed + ", child output in " + childLog + ")";
        long runMillis = RUN_MILLIS_MIN + (long) (random.nextDouble() * (RUN_MILLIS_MAX - RUN_MILLIS_MIN));
        int retried = inFlight().size();
        long startNanos = System.nanoTime();
        List<String> lines = runAndKill(url, random.nextLong(), retries, childLog, runMillis, what);
        long ackedBefore = acknowledgedRequests.size();
        int existedBefore = committedButUnacknowledged;
        absorb(lines);
        LedgerCrashChild.writeRequests(retries, inFlight());
        check(ds, what);
        log.info("crash run {}: killed {} ms after it ran ({} ms in all); {} lines, {} new requests acknowledged,"
            + " {} retried from the last run ({} had committed unacknowledged), {} left in flight", run, runMillis,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), lines.size(),
            acknowledgedRequests.size() - ackedBefore, retried, committedButUnacknowledged - existedBefore,
            inFlight().size());
      }
      long created = results.values().stream().filter(r -> r.contains(CreateTransferResult.CREATED)).count();
      assertThat(created).as("transfers the children created in %d runs", RUNS).isGreaterThan(RUNS);
    }
  }

  /** Starts a child, waits until it runs, lets it run for a while, kills it; returns its stdout. */
  private List<String> runAndKill(String url, long seed, Path retries, Path childLog, long runMillis,
      String what) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
        "-Dlogback.configurationFile=logback-crash-child.xml",
        LedgerCrashChild.class.getName(), url, Long.toString(seed), retries.toString());
    pb.redirectError(ProcessBuilder.Redirect.appendTo(childLog.toFile()));
    Process child = pb.start();
    List<String> lines = new ArrayList<>();
    CountDownLatch running = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
          }
          if (line.equals("RUNNING")) {
            running.countDown();
          }
        }
      } catch (IOException e) {
        // The pipe breaks when the child dies; what was read is what counts.
      }
    }, "crash-child-stdout");
    reader.start();
    try {
      boolean started = running.await(60, TimeUnit.SECONDS);
      assertThat(started).as("%s: the child started a ledger on the database and ran", what).isTrue();
      assertThat(child.isAlive()).as("%s: the child is alive", what).isTrue();
      Thread.sleep(runMillis);
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close
      child.waitFor(30, TimeUnit.SECONDS);
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  private void absorb(List<String> lines) {
    Set<String> previouslyInFlight = new HashSet<>(submitted.keySet());
    previouslyInFlight.removeAll(acknowledgedRequests);
    for (String line : lines) {
      if (line.startsWith("SUB ")) {
        List<Transfer> request = LedgerCrashChild.parse(line.substring(4));
        String key = key(request);
        submitted.putIfAbsent(key, request);
        for (Transfer t : request) {
          requestedTransfer.putIfAbsent(t.id(), t);
        }
      } else if (line.startsWith("ACK ")) {
        List<UUID> ids = new ArrayList<>();
        for (String part : line.substring(4).split(",")) {
          String[] kv = part.split("=");
          UUID id = UUID.fromString(kv[0]);
          ids.add(id);
          results.computeIfAbsent(id, k -> new ArrayList<>()).add(CreateTransferResult.valueOf(kv[1]));
        }
        String key = ids.stream().map(UUID::toString).collect(Collectors.joining(";"));
        assertThat(submitted).as("acknowledged request was announced").containsKey(key);
        boolean retryOfInFlight = !acknowledgedRequests.contains(key) && previouslyInFlight.contains(key);
        if (retryOfInFlight && results.get(ids.get(0)).get(results.get(ids.get(0)).size() - 1)
            == CreateTransferResult.EXISTS) {
          committedButUnacknowledged++;
        }
        acknowledgedRequests.add(key);
      }
    }
  }

  private List<List<Transfer>> inFlight() {
    List<List<Transfer>> out = new ArrayList<>();
    submitted.forEach((key, request) -> {
      if (!acknowledgedRequests.contains(key)) {
        out.add(request);
      }
    });
    return out;
  }

  /** What must hold after every kill, checked on the committed rows and by a fresh Ledger. */
  private void check(HikariDataSource ds, String what) throws SQLException {
    assertThat(LedgerInvariants.violations(ds)).as(what).isEmpty();

    Set<UUID> mustExist = new HashSet<>();
    Set<UUID> mustNotExist = new HashSet<>();
    Set<UUID> mustBeFailed = new HashSet<>();
    results.forEach((id, rs) -> {
      long created = rs.stream().filter(r -> r == CreateTransferResult.CREATED).count();
      assertThat(created).as("%s: transfer %s was created more than once: %s", what, id, rs).isLessThanOrEqualTo(1);
      if (rs.stream().anyMatch(CreateTransferResult::ok)) {
        mustExist.add(id);
      } else {
        mustNotExist.add(id);
        if (rs.stream().anyMatch(CreateTransferResult::isTransient)) {
          mustBeFailed.add(id);
        }
      }
    });

    // A fresh Ledger on the database (nothing else writes it between two children): it starts from
    // what was committed, and finds every acknowledged transfer.
    Map<UUID, Transfer> found = new HashMap<>();
    try (Ledger ledger = Ledger.start(ds, LedgerSettings.defaults())) {
      List<UUID> ids = new ArrayList<>(results.keySet());
      for (int i = 0; i < ids.size(); i += Ledger.LOOKUP_IDS_MAX) {
        for (Transfer t : ledger.lookupTransfers(ids.subList(i, Math.min(ids.size(), i + Ledger.LOOKUP_IDS_MAX)))) {
          assertThat(found.put(t.id(), t)).as("%s: transfer %s returned twice", what, t.id()).isNull();
        }
      }
      assertThat(ledger.lookupAccounts(LedgerCrashChild.WALLETS)).hasSize(LedgerCrashChild.WALLETS.size());
    }
    assertThat(mustExist).as("%s: acknowledged transfers missing from the database", what)
        .allMatch(found::containsKey);
    assertThat(mustNotExist).as("%s: transfers that failed but are in the database", what)
        .noneMatch(found::containsKey);
    for (UUID id : mustExist) {
      Transfer asked = requestedTransfer.get(id);
      Transfer stored = found.get(id);
      boolean resolves = asked.hasFlag(TransferFlags.POST_PENDING_TRANSFER)
          || asked.hasFlag(TransferFlags.VOID_PENDING_TRANSFER);
      assertThat(stored.pendingId()).as("%s: %s", what, id).isEqualTo(asked.pendingId());
      assertThat(stored.flags()).as("%s: %s", what, id).isEqualTo(asked.flags());
      if (!resolves) {
        assertThat(stored.amount()).as("%s: amount of %s", what, id).isEqualTo(asked.amount());
        assertThat(stored.debitAccountId()).as("%s: %s", what, id).isEqualTo(asked.debitAccountId());
        assertThat(stored.creditAccountId()).as("%s: %s", what, id).isEqualTo(asked.creditAccountId());
      } else if (asked.amount() != 0) {
        assertThat(stored.amount()).as("%s: amount of %s", what, id).isEqualTo(asked.amount());
      }
    }
    assertThat(failedIds(ds, mustBeFailed)).as("%s: ids that failed for a state-dependent reason are remembered",
        what).containsExactlyInAnyOrderElementsOf(mustBeFailed);
    assertThat(duplicateTransferIds(ds)).as("%s: transfer ids stored twice", what).isZero();
  }

  private static Set<UUID> failedIds(HikariDataSource ds, Collection<UUID> ids) throws SQLException {
    Set<UUID> out = new HashSet<>();
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id FROM ledger_transfer_failed WHERE id = ANY(?)")) {
      s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return out;
  }

  private static long duplicateTransferIds(HikariDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT count(*) - count(DISTINCT id) FROM ledger_transfer");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String key(List<Transfer> request) {
    return request.stream().map(t -> t.id().toString()).collect(Collectors.joining(";"));
  }
}
