package dev.hutong.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints progress about once a second, without flooding a terminal or a CI log. */
final class BenchProgress {
  private final PrintStream out;
  private final String what;
  private final long total;
  private final long start = System.nanoTime();
  private long lastPrint = System.nanoTime();

  BenchProgress(PrintStream out, String what, long total) {
    this.out = out;
    this.what = what;
    this.total = total;
  }

  void update(long done) {
    long now = System.nanoTime();
    if (now - lastPrint < 1_000_000_000L) {
      return;
    }
    lastPrint = now;
    double seconds = (now - start) / 1e9;
    out.printf(Locale.ROOT, "  %s %,d / %,d (%d%%), %,.0f/s%n", what, done, total,
        done * 100 / total, done / seconds);
  }

  void done() {
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "  %s %,d done in %.1f s%n", what, total, seconds);
  }
}
