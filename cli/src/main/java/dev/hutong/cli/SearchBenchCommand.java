package dev.hutong.cli;

import dev.hutong.miniapp.bench.SearchBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hutong bench search}: the discovery index at the scale of 1.7 million mini-programs. */
@Command(name = "search",
    mixinStandardHelpOptions = true,
    description = {"Generate N synthetic mini-programs (deterministic seed), build the Lucene"
        + " discovery index with a progress line, then time a mixed set of top-20 queries (exact"
        + " names, prefixes, synonyms, category filters) on one thread. Run with -Xmx2g to check"
        + " the 2 GB heap target.",
        "The last line is machine-readable: RESULT bench=search apps=... build_s=... p50_ms=..."
            + " p99_ms=... heap_mb=..."})
final class SearchBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--apps", paramLabel = "N", description = "apps to index (default 1700000)")
  long apps = SearchBenchmark.Options.defaults().apps();

  @Option(names = "--queries", paramLabel = "N", description = "timed queries (default 5000)")
  int queries = SearchBenchmark.Options.defaults().queries();

  @Option(names = "--warmup", paramLabel = "N", description = "untimed queries first (default 2000)")
  int warmup = SearchBenchmark.Options.defaults().warmup();

  @Option(names = "--seed", paramLabel = "N", description = "generator seed (default 42)")
  long seed = SearchBenchmark.Options.defaults().seed();

  @Option(names = "--threads", paramLabel = "N", description = "indexing threads (default: cores)")
  int threads = SearchBenchmark.Options.defaults().threads();

  @Option(names = "--dir", paramLabel = "DIR",
      description = "build the index here and keep it (default: a temporary directory, deleted)")
  Path dir;

  @Override
  public Integer call() {
    SearchBenchmark.Options options = new SearchBenchmark.Options(apps, queries, warmup, seed,
        threads, SearchBenchmark.Options.defaults().ramBufferMb(), dir);
    try {
      SearchBenchmark.run(options, System.out);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    return 0;
  }
}
