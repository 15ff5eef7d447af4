package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class DatabaseProbeTest {

  @Test
  void aHangingDatabaseIsReportedAfterTheTimeoutAndProbedOnceAtATime() throws Exception {
    AtomicInteger connectionAttempts = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    DataSource hanging = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          connectionAttempts.incrementAndGet();
          release.await();
          throw new java.sql.SQLException("released");
        });
    DatabaseProbe probe = new DatabaseProbe(hanging, Duration.ofMillis(200));

    List<Thread> callers = new ArrayList<>();
    List<DatabaseProbe.Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 5; i++) {
      callers.add(Thread.ofVirtual().start(() -> results.add(probe.check())));
    }
    for (Thread caller : callers) {
      caller.join(Duration.ofSeconds(5));
    }
    release.countDown();

    assertThat(results).hasSize(5).allSatisfy(result -> {
      assertThat(result.reachable()).isFalse();
      assertThat(result.reason()).isEqualTo("the database did not answer SELECT 1 within 200 ms");
    });
    assertThat(connectionAttempts).hasValue(1);
  }
}
