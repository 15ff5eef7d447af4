package dev.hutong.miniapp;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/** One database and content store for a test class, with the module wired as the server will. */
final class Fixture implements AutoCloseable {
  /** A clock that moves forward one millisecond per reading, so every step has its own time. */
  static final class TickingClock extends Clock {
    final AtomicLong millis = new AtomicLong(Instant.parse("2026-03-01T02:00:00Z").toEpochMilli());

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.incrementAndGet());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** What the lifecycle told discovery. */
  static final class RecordingEvents implements AppEvents {
    final List<String> log = new CopyOnWriteArrayList<>();
    AppEvents next = AppEvents.NONE;

    @Override
    public void online(String appId) {
      log.add("online " + appId);
      next.online(appId);
    }

    @Override
    public void offline(String appId) {
      log.add("offline " + appId);
      next.offline(appId);
    }
  }

  static final AtomicInteger NAMES = new AtomicInteger();

  final HikariDataSource ds;
  final Jdbi jdbi;
  final Path dataDir;
  final ContentStore store;
  final TickingClock clock = new TickingClock();
  final Map<UUID, String> merchantNames = new ConcurrentHashMap<>();
  final MerchantDirectory merchants = id -> java.util.Optional.ofNullable(merchantNames.get(id));
  final RecordingEvents events = new RecordingEvents();
  final Apps apps;
  final Versions versions;
  final Templates templates;
  final VersionResolver resolver;
  final ReviewQueue review;
  final UserApps userApps;
  final UUID merchant;

  Fixture(String name) {
    ds = TestDatabases.open(name, 4);
    Migrations.migrate(ds, "miniapp");
    jdbi = Jdbi.create(ds);
    try {
      dataDir = Files.createTempDirectory("hutong-miniapp-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = new ContentStore(dataDir.resolve("content"));
    apps = new Apps(jdbi, merchants, events, clock);
    versions = new Versions(jdbi, store, new PackageValidator(), events, clock);
    templates = new Templates(jdbi, apps, versions, clock);
    resolver = new VersionResolver(jdbi);
    review = new ReviewQueue(jdbi, merchants);
    userApps = new UserApps(jdbi, clock);
    merchant = merchant("Old Town Cinema Co.");
  }

  UUID merchant(String name) {
    UUID id = UUID.randomUUID();
    merchantNames.put(id, name);
    return id;
  }

  App app(AppKind kind) {
    return apps.create(new NewApp(null, merchant, kind, profile("App " + NAMES.incrementAndGet(),
        "movies")));
  }

  static AppProfile profile(String name, String category) {
    return new AppProfile(name, "A mini-program called " + name, category,
        List.of("tickets"), "Beijing", "img/icon.png");
  }

  Version upload(String appId, String version, TestZip zip) {
    return versions.upload(appId, SemVer.parse(version),
        new java.io.ByteArrayInputStream(zip.bytes()), "dev:alice");
  }

  @Override
  public void close() {
    ds.close();
    try (var paths = Files.walk(dataDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory.
    }
  }
}
