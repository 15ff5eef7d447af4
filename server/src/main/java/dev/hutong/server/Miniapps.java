package dev.hutong.server;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.Merchants;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.ContentStore;
import dev.hutong.miniapp.Discovery;
import dev.hutong.miniapp.LaunchLinks;
import dev.hutong.miniapp.MerchantDirectory;
import dev.hutong.miniapp.PackageValidator;
import dev.hutong.miniapp.ReviewQueue;
import dev.hutong.miniapp.Templates;
import dev.hutong.miniapp.UserApps;
import dev.hutong.miniapp.VersionResolver;
import dev.hutong.miniapp.Versions;
import dev.hutong.miniapp.search.SearchIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mini-program components as the server wires them (DESIGN §6): packages in a content store
 * under {@code <data-dir>/content}, the lifecycle, templates, review, and discovery with its
 * Lucene index under {@code <data-dir>/search}. Discovery hears every online/offline step, so the
 * index follows the lifecycle. At start the index is rebuilt from the database, in the
 * background with progress in the log, when it is new, was not closed cleanly, or holds another
 * number of apps than are online; searches answer from the old index meanwhile.
 */
final class Miniapps implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Miniapps.class);
  /** Written after the index's final commit at a clean stop; removed while the index is open. */
  static final String CLEAN_MARKER = "closed-cleanly";
  /** How often the index's changes are made durable (a crash loses at most this much). */
  static final Duration COMMIT_INTERVAL = Duration.ofSeconds(30);
  /** A progress line every this many apps during a rebuild. */
  static final int PROGRESS_EVERY_APPS = 50_000;

  final Apps apps;
  final Versions versions;
  final Templates templates;
  final ReviewQueue review;
  final UserApps userApps;
  final VersionResolver resolver;
  final Discovery discovery;
  final LaunchLinks links;
  final PackageValidator validator;
  private final SearchIndex index;
  private final Path indexDir;
  private final ScheduledExecutorService jobs;
  private volatile boolean stopping;
  /** True from the moment a rebuild is scheduled until it completes. */
  private volatile boolean rebuildIncomplete;

  private Miniapps(Jdbi jdbi, Merchants merchants, Path dataDir, String publicBaseUrl,
      Clock clock) {
    MerchantDirectory names = id -> merchants.find(id).map(Merchant::name);
    this.indexDir = dataDir.resolve("search");
    this.index = SearchIndex.open(createDirectories(indexDir));
    this.userApps = new UserApps(jdbi, clock);
    this.discovery = new Discovery(jdbi, userApps, names, index);
    this.validator = new PackageValidator();
    ContentStore store = new ContentStore(createDirectories(dataDir.resolve("content")));
    this.apps = new Apps(jdbi, names, discovery, clock);
    this.versions = new Versions(jdbi, store, validator, discovery, clock);
    this.templates = new Templates(jdbi, apps, versions, clock);
    this.review = new ReviewQueue(jdbi, names);
    this.resolver = new VersionResolver(jdbi);
    this.links = new LaunchLinks(publicBaseUrl);
    this.jobs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
        .name("miniapp-index").daemon(true).factory());
  }

  /** Opens the content store and index and starts the index's jobs (rebuild, periodic commit). */
  static Miniapps start(Jdbi jdbi, Merchants merchants, Path dataDir, String publicBaseUrl,
      Clock clock) {
    Miniapps m = new Miniapps(jdbi, merchants, dataDir, publicBaseUrl, clock);
    m.scheduleJobs();
    return m;
  }

  private void scheduleJobs() {
    Path marker = indexDir.resolve(CLEAN_MARKER);
    boolean closedCleanly = Files.exists(marker);
    deleteIfExists(marker);
    if (!closedCleanly || !discovery.matchesDatabase()) {
      log.info("rebuilding the search index in {} ({}); searches answer from the old index"
          + " until it is done", indexDir, closedCleanly ? "it differs from the database"
          : "new, or not closed cleanly");
      rebuildIncomplete = true;
      jobs.execute(this::rebuild);
    }
    long every = COMMIT_INTERVAL.toMillis();
    jobs.scheduleWithFixedDelay(index::commit, every, every, TimeUnit.MILLISECONDS);
  }

  private void rebuild() {
    long started = System.nanoTime();
    try {
      int n = discovery.reindexAll(done -> {
        if (stopping) {
          throw new IllegalStateException("the server is stopping");
        }
        if (done % PROGRESS_EVERY_APPS == 0) {
          log.info("search index rebuild: {} apps so far", done);
        }
      });
      rebuildIncomplete = false;
      log.info("search index rebuilt: {} online apps in {} ms", n,
          (System.nanoTime() - started) / 1_000_000);
    } catch (RuntimeException e) {
      // The clean marker is not written at close, so the next start rebuilds again.
      log.warn("search index rebuild abandoned: {}", e.getMessage());
    }
  }

  /** Waits until a rebuild started at start-up is done (tests). */
  void awaitIndexJobs() {
    try {
      jobs.submit(() -> { }).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stopping = true;
    jobs.shutdown();
    try {
      if (!jobs.awaitTermination(30, TimeUnit.SECONDS)) {
        jobs.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Closing commits every change; only a complete index is marked clean.
    index.close();
    if (!rebuildIncomplete) {
      try {
        Files.writeString(indexDir.resolve(CLEAN_MARKER), "the index was committed and closed\n");
      } catch (IOException e) {
        log.warn("could not write {}; the next start rebuilds the index", CLEAN_MARKER);
      }
    }
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file, e);
    }
  }
}
