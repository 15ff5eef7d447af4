package dev.hutong.miniapp.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark at toy scale: it builds, queries and prints its RESULT line. */
class SearchBenchmarkTest {
  @Test
  void printsTheResultLineLast() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SearchBenchmark.Result r = SearchBenchmark.run(SearchBenchmark.Options.parse(new String[] {
        "--apps", "3000", "--queries", "400", "--warmup", "100", "--threads", "1"}),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines[lines.length - 1]).matches("RESULT bench=search apps=3000 build_s=[0-9.]+"
        + " p50_ms=[0-9.]+ p99_ms=[0-9.]+ heap_mb=[0-9]+");
    assertThat(r.meanResults()).isGreaterThan(1);
  }

  @Test
  void syntheticAppsAreDeterministic() {
    assertThat(new SyntheticApps(42).app(123_456)).isEqualTo(new SyntheticApps(42).app(123_456));
    assertThat(new SyntheticApps(42).app(1)).isNotEqualTo(new SyntheticApps(43).app(1));
  }

  @Test
  void optionsAreChecked() {
    assertThatThrownBy(() -> SearchBenchmark.Options.parse(new String[] {"--apps", "0"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SearchBenchmark.Options.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("unknown option");
    assertThat(SearchBenchmark.Options.parse(new String[] {"--apps", "1_700_000"}).apps())
        .isEqualTo(1_700_000);
  }
}
