package dev.hutong.miniapp.bench;

import dev.hutong.miniapp.search.AppDocument;
import dev.hutong.miniapp.search.SearchIndex;
import dev.hutong.miniapp.search.SearchQuery;
import dev.hutong.miniapp.search.SearchResults;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code hutong bench search}: builds a discovery index of N synthetic apps (deterministic seed)
 * and measures top-20 query latency on one thread over a mixed query set: exact names, prefixes
 * typed so far, synonyms, and category filters. Targets for 1.7 million apps: build ≤ 180 s,
 * p99 ≤ 10 ms, heap ≤ 2 GB (run with -Xmx2g). The last line is
 * {@code RESULT bench=search apps=<n> build_s=<x> p50_ms=<x> p99_ms=<x> heap_mb=<n>}.
 */
public final class SearchBenchmark {
  /** What to run. {@code dir} null means a temporary directory, deleted afterwards. */
  public record Options(long apps, int queries, int warmup, long seed, int threads,
      double ramBufferMb, Path dir) {
    public static Options defaults() {
      return new Options(1_700_000, 5_000, 2_000, 42,
          Runtime.getRuntime().availableProcessors(), 256, null);
    }

    /** Parses {@code --apps N --queries N --warmup N --seed N --threads N --ram-mb N --dir D}. */
    public static Options parse(String[] args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String v = args[++i].replace("_", "").replace(",", "");
        o = switch (flag) {
          case "--apps" -> new Options(Long.parseLong(v), o.queries, o.warmup, o.seed, o.threads,
              o.ramBufferMb, o.dir);
          case "--queries" -> new Options(o.apps, Integer.parseInt(v), o.warmup, o.seed,
              o.threads, o.ramBufferMb, o.dir);
          case "--warmup" -> new Options(o.apps, o.queries, Integer.parseInt(v), o.seed,
              o.threads, o.ramBufferMb, o.dir);
          case "--seed" -> new Options(o.apps, o.queries, o.warmup, Long.parseLong(v), o.threads,
              o.ramBufferMb, o.dir);
          case "--threads" -> new Options(o.apps, o.queries, o.warmup, o.seed,
              Integer.parseInt(v), o.ramBufferMb, o.dir);
          case "--ram-mb" -> new Options(o.apps, o.queries, o.warmup, o.seed, o.threads,
              Double.parseDouble(v), o.dir);
          case "--dir" -> new Options(o.apps, o.queries, o.warmup, o.seed, o.threads,
              o.ramBufferMb, Path.of(args[i]));
          default -> throw new IllegalArgumentException("unknown option " + flag + "; options:"
              + " --apps N --queries N --warmup N --seed N --threads N --ram-mb N --dir DIR");
        };
      }
      o.validate();
      return o;
    }

    void validate() {
      if (apps < 1 || apps > 100_000_000L) {
        throw new IllegalArgumentException("--apps must be 1..100000000");
      }
      if (queries < 1 || queries > 10_000_000 || warmup < 0 || threads < 1 || threads > 64
          || ramBufferMb < 16 || ramBufferMb > 2000) {
        throw new IllegalArgumentException("--queries 1.., --warmup 0.., --threads 1..64,"
            + " --ram-mb 16..2000");
      }
    }
  }

  /** The figures; {@link #line()} is the RESULT line. */
  public record Result(long apps, double buildSeconds, double p50Ms, double p99Ms, long heapMb,
      double meanResults) {
    public String line() {
      return String.format(Locale.ROOT, "RESULT bench=search apps=%d build_s=%.1f p50_ms=%.2f"
          + " p99_ms=%.2f heap_mb=%d", apps, buildSeconds, p50Ms, p99Ms, heapMb);
    }
  }

  /** One query of the mix, with its kind for the per-kind figures. */
  record BenchQuery(String kind, SearchQuery query) {}

  private SearchBenchmark() {}

  public static void main(String[] args) {
    try {
      run(Options.parse(args), System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("bench search: " + e.getMessage());
      System.exit(2);
    }
  }

  public static Result run(Options o, PrintStream out) {
    o.validate();
    HeapSampler heap = new HeapSampler();
    heap.start();
    Path dir = o.dir();
    boolean temporary = dir == null;
    try {
      if (temporary) {
        dir = Files.createTempDirectory("hutong-bench-search");
      }
      out.printf(Locale.ROOT, "bench search: %,d apps, %d indexing threads, %,d queries (after"
          + " %,d warm-up) on 1 thread, index in %s, max heap %d MB%n", o.apps(), o.threads(),
          o.queries(), o.warmup(), dir, Runtime.getRuntime().maxMemory() >> 20);
      SyntheticApps apps = new SyntheticApps(o.seed());
      try (SearchIndex index = SearchIndex.open(dir, o.ramBufferMb())) {
        long started = System.nanoTime();
        build(index, apps, o, out, heap);
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "built in %.1f s (%,.0f apps/s), %d MB on disk%n", buildSeconds,
            o.apps() / buildSeconds, directoryBytes(dir) >> 20);
        List<BenchQuery> mix = queries(apps, o);
        for (int i = 0; i < Math.min(o.warmup(), mix.size() * 4); i++) {
          index.search(mix.get(i % mix.size()).query());
        }
        long[] nanos = new long[o.queries()];
        long results = 0;
        for (int i = 0; i < o.queries(); i++) {
          SearchQuery q = mix.get(i % mix.size()).query();
          long t0 = System.nanoTime();
          SearchResults r = index.search(q);
          nanos[i] = System.nanoTime() - t0;
          results += r.results().size();
        }
        perKind(mix, nanos, out);
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = percentile(sorted, 0.50) / 1e6;
        double p99 = percentile(sorted, 0.99) / 1e6;
        heap.stop();
        Result result = new Result(o.apps(), buildSeconds, p50, p99, heap.peakMb(),
            (double) results / o.queries());
        out.printf(Locale.ROOT, "queries: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %.1f results per"
            + " query; heap peak %d MB (used, sampled every 50 ms), after GC %d MB%n", p50, p99,
            sorted[sorted.length - 1] / 1e6, result.meanResults(), heap.peakMb(),
            heapAfterGcMb());
        out.println(result.line());
        return result;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      heap.stop();
      if (temporary && dir != null) {
        deleteTree(dir);
      }
    }
  }

  private static void build(SearchIndex index, SyntheticApps apps, Options o, PrintStream out,
      HeapSampler heap) {
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    RuntimeException[] failure = new RuntimeException[1];
    for (int t = 0; t < o.threads(); t++) {
      Thread w = new Thread(() -> {
        try {
          for (long i = next.getAndIncrement(); i < o.apps(); i = next.getAndIncrement()) {
            index.addNew(apps.app(i));
            done.incrementAndGet();
          }
        } catch (RuntimeException e) {
          failure[0] = e;
        }
      }, "bench-index-" + t);
      w.start();
      workers.add(w);
    }
    long start = System.nanoTime();
    long lastDone = 0;
    long lastTime = start;
    try {
      for (Thread w : workers) {
        while (w.isAlive()) {
          w.join(1000);
          long now = System.nanoTime();
          if (now - lastTime >= 950_000_000L && done.get() < o.apps()) {
            long d = done.get();
            out.printf(Locale.ROOT, "indexing: %,d / %,d apps (%.1f%%), %,.0f apps/s, %.0f s,"
                + " heap %d MB%n", d, o.apps(), 100.0 * d / o.apps(),
                (d - lastDone) / ((now - lastTime) / 1e9), (now - start) / 1e9, heap.currentMb());
            lastDone = d;
            lastTime = now;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while indexing", e);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    out.printf(Locale.ROOT, "indexing: %,d / %,d apps (100%%); committing%n", done.get(),
        o.apps());
    index.commit();
    index.refresh();
    if (index.size() != o.apps()) {
      throw new IllegalStateException("index holds " + index.size() + " apps, expected "
          + o.apps());
    }
  }

  /** The mixed query set: a quarter each of exact names, prefixes, synonyms, category filters. */
  static List<BenchQuery> queries(SyntheticApps apps, Options o) {
    SplittableRandom r = new SplittableRandom(o.seed() + 1);
    int n = Math.min(o.queries(), 2000);
    List<BenchQuery> mix = new ArrayList<>(n);
    String[][] synonyms = {
        {"film", "movies"}, {"movie", "movies"}, {"theater", "movies"}, {"eatery", "food"},
        {"dining", "food"}, {"apartment", "real_estate"}, {"property", "real_estate"},
        {"cab", "transport"}, {"lodging", "hotels"}, {"ktv", "entertainment"},
        {"takeaway", "food"}, {"workout", "fitness"}, {"hairdresser", "beauty"},
        {"supermarket", "groceries"}, {"tutoring", "education"}, {"doctor", "health"}};
    String[][] categoryTerms = {
        {"tickets", "movies"}, {"noodle", "food"}, {"", "food"}, {"deposit", "real_estate"},
        {"breakfast", "hotels"}, {"airport", "transport"}, {"", "movies"}, {"yoga", "fitness"},
        {"massage", "beauty"}, {"coupons", "shopping"}, {"", "health"}, {"lesson", "education"}};
    for (int i = 0; i < n; i++) {
      AppDocument app = apps.app(Math.floorMod(r.nextLong(), o.apps()));
      String[] words = app.name().split(" ");
      switch (i % 4) {
        case 0 -> mix.add(new BenchQuery("exact", SearchQuery.of(app.name())));
        case 1 -> {
          // As typed so far: the first one to three words, the last one cut short.
          int w = 1 + r.nextInt(Math.min(3, words.length));
          String last = words[w - 1];
          String cut = last.substring(0, Math.max(2, Math.min(last.length(),
              2 + r.nextInt(Math.max(1, last.length() - 1)))));
          String typed = String.join(" ", Arrays.copyOf(words, w - 1));
          mix.add(new BenchQuery("prefix", SearchQuery.of((typed.isEmpty() ? "" : typed + " ")
              + cut)));
        }
        case 2 -> {
          String[] s = synonyms[r.nextInt(synonyms.length)];
          String text = r.nextBoolean() ? s[0] + " " : s[0] + " " + app.city();
          mix.add(new BenchQuery("synonym", SearchQuery.of(text)));
        }
        default -> {
          String[] c = categoryTerms[r.nextInt(categoryTerms.length)];
          String text = r.nextBoolean() || c[0].isEmpty() ? c[0] : c[0] + " " + words[0];
          mix.add(new BenchQuery("category", SearchQuery.of(text).inCategory(c[1])));
        }
      }
    }
    return mix;
  }

  private static void perKind(List<BenchQuery> mix, long[] nanos, PrintStream out) {
    for (String kind : List.of("exact", "prefix", "synonym", "category")) {
      long[] k = new long[nanos.length];
      int m = 0;
      for (int i = 0; i < nanos.length; i++) {
        if (mix.get(i % mix.size()).kind().equals(kind)) {
          k[m++] = nanos[i];
        }
      }
      long[] sorted = Arrays.copyOf(k, m);
      Arrays.sort(sorted);
      if (m > 0) {
        out.printf(Locale.ROOT, "  %-8s %,6d queries: p50 %.2f ms, p99 %.2f ms%n", kind, m,
            percentile(sorted, 0.5) / 1e6, percentile(sorted, 0.99) / 1e6);
      }
    }
  }

  static double percentile(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static long heapAfterGcMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  private static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // Best effort: a temporary directory.
    }
  }

  /** Samples the used heap every 50 ms and keeps the peak. */
  private static final class HeapSampler implements Runnable {
    private final Thread thread = new Thread(this, "bench-heap");
    private volatile boolean running = true;
    private volatile long peakBytes;

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void run() {
      while (running) {
        peakBytes = Math.max(peakBytes, used());
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void stop() {
      running = false;
      peakBytes = Math.max(peakBytes, used());
    }

    long peakMb() {
      return peakBytes >> 20;
    }

    long currentMb() {
      return used() >> 20;
    }

    private static long used() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }
}
