package dev.hutong.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hutong.db.Migrations;
import dev.hutong.db.MutableClock;
import dev.hutong.db.TestDatabases;
import dev.hutong.ledger.Ids;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("db")
class SessionsTest {
  static HikariDataSource ds;
  static Jdbi jdbi;
  static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
  static Sessions sessions;

  @BeforeAll
  static void start() {
    ds = TestDatabases.open("sessions", 4);
    Migrations.migrate(ds, "ledger");
    Migrations.migrate(ds, "identity");
    jdbi = Jdbi.create(ds);
    sessions = new Sessions(jdbi, clock, new SecureRandom(), Duration.ofMinutes(30),
        Duration.ofHours(8));
  }

  @AfterAll
  static void stop() {
    ds.close();
  }

  @Test
  void aTokenIsRandom256BitsAndOnlyItsHashIsStored() {
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      tokens.add(sessions.open(SessionRole.USER, Ids.next()).token());
    }
    assertThat(tokens).hasSize(20).allMatch(t -> t.matches("[A-Za-z0-9_-]{43}"));
    String token = tokens.iterator().next();
    int plain = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM identity_session"
        + " WHERE encode(id_hash, 'escape') LIKE :t OR encode(id_hash, 'base64') LIKE :t")
        .bind("t", "%" + token + "%").mapTo(Integer.class).one());
    assertThat(plain).isZero();
    byte[] stored = jdbi.withHandle(h -> h.createQuery("SELECT id_hash FROM identity_session"
        + " WHERE id_hash = :h").bind("h", DerivedIds.sha256(token)).mapTo(byte[].class).one());
    assertThat(stored).hasSize(32);
  }

  @Test
  void authenticatesOnlyInItsOwnRole() {
    UUID user = Ids.next();
    NewSession s = sessions.open(SessionRole.USER, user);
    assertThat(sessions.authenticate(SessionRole.USER, s.token()))
        .hasValueSatisfying(found -> assertThat(found.principalId()).isEqualTo(user));
    assertThat(sessions.authenticate(SessionRole.OPERATOR, s.token())).isEmpty();
    assertThat(sessions.authenticate(SessionRole.MERCHANT_STAFF, s.token())).isEmpty();
  }

  @Test
  void malformedAndUnknownTokensAreRefused() {
    assertThat(sessions.authenticate(SessionRole.USER, null)).isEmpty();
    assertThat(sessions.authenticate(SessionRole.USER, "short")).isEmpty();
    assertThat(sessions.authenticate(SessionRole.USER, "x".repeat(42) + "'")).isEmpty();
    assertThat(sessions.authenticate(SessionRole.USER, "A".repeat(43))).isEmpty();
  }

  @Test
  void idleSessionsEndButActivityKeepsThemAlive() {
    NewSession s = sessions.open(SessionRole.USER, Ids.next());
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(sessions.authenticate(SessionRole.USER, s.token())).as("after %d x 20 min", i + 1)
          .isPresent();
    }
    clock.advance(Duration.ofMinutes(31));
    assertThat(sessions.authenticate(SessionRole.USER, s.token())).isEmpty();
  }

  @Test
  void noSessionOutlivesItsLifetime() {
    NewSession s = sessions.open(SessionRole.USER, Ids.next());
    Instant end = s.session().expiresAt();
    while (clock.instant().plus(Duration.ofMinutes(20)).isBefore(end)) {
      clock.advance(Duration.ofMinutes(20));
      assertThat(sessions.authenticate(SessionRole.USER, s.token())).isPresent();
    }
    clock.advance(Duration.ofMinutes(20));
    assertThat(sessions.authenticate(SessionRole.USER, s.token())).isEmpty();
  }

  @Test
  void logoutRevokesOneSessionAndRevokeAllEndsEveryOne() {
    UUID user = Ids.next();
    NewSession a = sessions.open(SessionRole.USER, user);
    NewSession b = sessions.open(SessionRole.USER, user);
    NewSession c = sessions.open(SessionRole.USER, user);
    sessions.revoke(a.token());
    sessions.revoke(a.token());
    assertThat(sessions.authenticate(SessionRole.USER, a.token())).isEmpty();
    assertThat(sessions.authenticate(SessionRole.USER, b.token())).isPresent();
    assertThat(sessions.revokeAll(SessionRole.USER, user)).isEqualTo(2);
    assertThat(sessions.authenticate(SessionRole.USER, b.token())).isEmpty();
    assertThat(sessions.authenticate(SessionRole.USER, c.token())).isEmpty();
  }

  @Test
  void endedSessionsAreDeletedADayAfterTheirLifetime() {
    NewSession s = sessions.open(SessionRole.USER, Ids.next());
    clock.advance(Duration.ofHours(8).plus(Duration.ofDays(1)).plusSeconds(1));
    sessions.deleteEnded(1000);
    int left = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM identity_session"
        + " WHERE id_hash = :h").bind("h", DerivedIds.sha256(s.token())).mapTo(Integer.class).one());
    assertThat(left).isZero();
  }

  @Test
  void rateLimiterHoldsPerPhoneAndPerAddressWithBoundedMemory() {
    MutableClock t = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
    LoginRateLimiter limiter = new LoginRateLimiter(t, 3, 5, Duration.ofMinutes(15), 4);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("13800000001", "10.0.0." + i)).isNull();
      limiter.failed("13800000001");
    }
    // The same phone written differently is the same phone.
    assertThat(limiter.tryAcquire("+86 138-0000-0001", "10.0.0.9")).isNotNull()
        .satisfies(r -> assertThat(r.reason()).contains("phone"));
    // Another phone from one address: five attempts, then the address is held.
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("1390000000" + i, "10.0.0.7")).isNull();
    }
    assertThat(limiter.tryAcquire("13900000009", "10.0.0.7")).isNotNull()
        .satisfies(r -> assertThat(r.reason()).contains("address"));
    // The window passes: both are free again.
    t.advance(Duration.ofMinutes(15));
    assertThat(limiter.tryAcquire("13800000001", "10.0.0.7")).isNull();
    // A success forgets the phone's failures.
    limiter.failed("13700000001");
    limiter.failed("13700000001");
    limiter.succeeded("13700000001");
    limiter.failed("13700000001");
    limiter.failed("13700000001");
    assertThat(limiter.tryAcquire("13700000001", "10.0.1.1")).isNull();
  }
}
