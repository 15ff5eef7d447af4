package dev.hutong.miniapp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.miniapp.EnvVersion;
import dev.hutong.miniapp.SemVer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LaunchTicketsTest {
  final Instant now = Instant.parse("2026-05-01T00:00:00Z");
  final UUID user = UUID.randomUUID();

  LaunchTickets at(Instant t, byte[] key) {
    return new LaunchTickets(key, Clock.fixed(t, ZoneOffset.UTC));
  }

  @Test
  void aTicketNamesUserAppVersionAndEnv() {
    byte[] key = new byte[32];
    String text = at(now, key).issue(user, "2024000000000001", SemVer.parse("1.2.3"),
        EnvVersion.TRIAL);
    var ticket = at(now, key).verify(text, "2024000000000001", Duration.ZERO).orElseThrow();
    assertThat(ticket.userId()).isEqualTo(user);
    assertThat(ticket.version()).isEqualTo(SemVer.parse("1.2.3"));
    assertThat(ticket.env()).isEqualTo(EnvVersion.TRIAL);
    assertThat(ticket.expiresAt()).isEqualTo(now.plus(LaunchTickets.TTL));
    assertThat(text).doesNotContain(user.toString());
  }

  @Test
  void anotherAppAnotherKeyATamperedOrExpiredTicketIsRefused() {
    byte[] key = new byte[32];
    String text = at(now, key).issue(user, "app-a", SemVer.parse("1.0.0"), EnvVersion.RELEASE);
    assertThat(at(now, key).verify(text, "app-b", Duration.ZERO)).isEmpty();
    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(at(now, other).verify(text, "app-a", Duration.ZERO)).isEmpty();
    char last = text.charAt(3);
    String tampered = text.substring(0, 3) + (last == 'A' ? 'B' : 'A') + text.substring(4);
    assertThat(at(now, key).verify(tampered, "app-a", Duration.ZERO)).isEmpty();
    Instant later = now.plus(LaunchTickets.TTL).plusSeconds(1);
    assertThat(at(later, key).verify(text, "app-a", Duration.ZERO)).isEmpty();
    assertThat(at(later, key).verify(text, "app-a", LaunchTickets.ASSET_GRACE)).isPresent();
    assertThat(at(now, key).verify("not a ticket", "app-a", Duration.ZERO)).isEmpty();
    assertThat(at(now, key).verify(null, "app-a", Duration.ZERO)).isEmpty();
  }

  @Test
  void aPreviewTicketIsShortLivedMarkedAndBoundToItsAppAndVersion() {
    byte[] key = new byte[32];
    UUID operator = UUID.randomUUID();
    String text = at(now, key).issuePreview(operator, "app-a", SemVer.parse("1.1.0"));
    var ticket = at(now, key).verify(text, "app-a", Duration.ZERO).orElseThrow();
    assertThat(ticket.preview()).isTrue();
    assertThat(ticket.userId()).isEqualTo(operator);
    assertThat(ticket.version()).isEqualTo(SemVer.parse("1.1.0"));
    assertThat(ticket.expiresAt()).isEqualTo(now.plus(LaunchTickets.PREVIEW_TTL));
    assertThat(at(now, key).verify(text, "app-b", Duration.ZERO)).isEmpty();
    // Expired: no page, and assets only within PREVIEW_TTL (not the users' 12-hour grace).
    Instant expired = now.plus(LaunchTickets.PREVIEW_TTL).plusSeconds(1);
    assertThat(at(expired, key).verify(text, "app-a", Duration.ZERO)).isEmpty();
    assertThat(at(expired, key).verify(text, "app-a", LaunchTickets.ASSET_GRACE)).isPresent();
    Instant muchLater = now.plus(LaunchTickets.PREVIEW_TTL.multipliedBy(2)).plusSeconds(1);
    assertThat(at(muchLater, key).verify(text, "app-a", LaunchTickets.ASSET_GRACE)).isEmpty();
    // A user's ticket is never a preview.
    String user = at(now, key).issue(this.user, "app-a", SemVer.parse("1.1.0"), EnvVersion.TRIAL);
    assertThat(at(now, key).verify(user, "app-a", Duration.ZERO).orElseThrow().preview()).isFalse();
  }

  @Test
  void randomKeysDiffer() {
    var a = LaunchTickets.withRandomKey(new SecureRandom(), Clock.fixed(now, ZoneOffset.UTC));
    var b = LaunchTickets.withRandomKey(new SecureRandom(), Clock.fixed(now, ZoneOffset.UTC));
    String text = a.issue(user, "x", SemVer.parse("1.0.0"), EnvVersion.RELEASE);
    assertThat(b.verify(text, "x", Duration.ZERO)).isEmpty();
    assertThat(a.verify(text, "x", Duration.ZERO)).isPresent();
  }
}
