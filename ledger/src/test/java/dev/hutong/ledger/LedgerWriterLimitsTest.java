package dev.hutong.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The writer's bounds: batch size, queue depth (back-pressure), request size, closing. */
@Tag("db")
class LedgerWriterLimitsTest {
  private static final int LEDGER = 156;

  private HikariDataSource ds;

  @BeforeEach
  void database() {
    ds = TestDatabases.open("writer_limits", 4);
    Migrations.migrate(ds, Ledger.SCHEMA_MODULE);
  }

  @AfterEach
  void close() throws Exception {
    assertThat(LedgerInvariants.violations(ds)).isEmpty();
    ds.close();
  }

  @Test
  void batchesNeverHoldMoreEventsThanTheLimitAndAFullQueueBlocksSubmitters() throws Exception {
    // Tiny limits: at most 10 events a batch, at most 2 requests waiting.
    LedgerSettings tiny = new LedgerSettings(2, 10, 0, 1);
    try (Ledger ledger = Ledger.start(ds, tiny)) {
      UUID a = Ids.next();
      UUID b = Ids.next();
      assertThat(ledger.createAccounts(List.of(Account.open(a, LEDGER, 1, 0),
          Account.open(b, LEDGER, 1, 0)))).containsOnly(CreateAccountResult.CREATED);
      List<CompletableFuture<List<CreateTransferResult>>> answers = new ArrayList<>();
      List<Thread> submitters = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        submitters.add(Thread.ofVirtual().start(() -> {
          for (int r = 0; r < 10; r++) {
            List<Transfer> request = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
              request.add(Transfer.of(Ids.next(), a, b, 1, LEDGER, 1));
            }
            CompletableFuture<List<CreateTransferResult>> f = ledger.submitTransfers(request);
            synchronized (answers) {
              answers.add(f);
            }
          }
        }));
      }
      for (Thread t : submitters) {
        t.join();
      }
      for (CompletableFuture<List<CreateTransferResult>> f : answers) {
        assertThat(f.get()).containsOnly(CreateTransferResult.CREATED);
      }
      LedgerStats stats = ledger.stats();
      assertThat(stats.transfersCommitted()).isEqualTo(240);
      // 240 events in batches of at most 10 (three requests of 3) need at least 24 batches.
      assertThat(stats.batchesCommitted()).isGreaterThanOrEqualTo(1 + 240 / 9);
      assertThat(ledger.lookupAccounts(List.of(b)).get(0).creditsPosted()).isEqualTo(240);
    }
  }

  @Test
  void aRequestLargerThanABatchOrEmptyIsRefused() {
    LedgerSettings small = new LedgerSettings(16, 10, 0, 1);
    try (Ledger ledger = Ledger.start(ds, small)) {
      List<Transfer> eleven = new ArrayList<>();
      for (int i = 0; i < 11; i++) {
        eleven.add(Transfer.of(Ids.next(), Ids.next(), Ids.next(), 1, LEDGER, 1));
      }
      assertThatThrownBy(() -> ledger.createTransfers(eleven))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 10 events");
      assertThatThrownBy(() -> ledger.createTransfers(List.of()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aClosedLedgerRefusesRequests() {
    Ledger ledger = Ledger.start(ds, LedgerSettings.defaults());
    ledger.close();
    assertThatThrownBy(() -> ledger.createAccounts(List.of(Account.open(Ids.next(), LEDGER, 1, 0))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void settingsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> new LedgerSettings(0, 10, 0, 1)).hasMessageContaining("queueRequestsMax");
    assertThatThrownBy(() -> new LedgerSettings(1, 8190, 0, 1)).hasMessageContaining("batchEventsMax");
    assertThatThrownBy(() -> new LedgerSettings(1, 10, -1, 1)).hasMessageContaining("batchLingerMicros");
  }
}
