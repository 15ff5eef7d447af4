package dev.hutong.miniapp.runtime;

import dev.hutong.miniapp.EnvVersion;
import dev.hutong.miniapp.SemVer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Launch tickets: how an app's origin learns which version to serve to whom. The app's iframe is
 * sandboxed without {@code allow-same-origin}, so it carries no cookies; the shell (which has the
 * session) asks for a ticket and puts it in the iframe's URL path. A ticket names the user, the
 * app, the version, the envVersion and an expiry, and is HMAC-SHA256 signed with a key that never
 * leaves the process (a restart invalidates tickets; the shell simply asks again). It never
 * contains or reveals the session: holding one lets the app's own pages load its own files, and
 * nothing else (the bridge's API calls go through the shell, with the session).
 *
 * <p>Text form: {@code base64url(payload) "." base64url(mac)}, payload
 * {@code v1|appId|version|env|userId|expiresEpochSeconds}.
 */
public final class LaunchTickets {
  /** How long a ticket opens pages: long enough for a session in the app, short if leaked. */
  public static final Duration TTL = Duration.ofMinutes(30);
  /** How long a ticket keeps serving an already opened page's scripts, styles and images. */
  public static final Duration ASSET_GRACE = Duration.ofHours(12);
  /** Longest ticket text accepted (the payload's parts are all bounded). */
  public static final int TEXT_CHARS_MAX = 400;
  private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_-]{1,300}\\.[A-Za-z0-9_-]{43}");

  /** What a valid ticket says. */
  public record Ticket(UUID userId, String appId, SemVer version, EnvVersion env,
      Instant expiresAt) {}

  private final byte[] key;
  private final Clock clock;

  public LaunchTickets(byte[] key, Clock clock) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a launch ticket key needs at least 32 bytes");
    }
    this.key = key.clone();
    this.clock = clock;
  }

  /** Tickets signed with a fresh random key. */
  public static LaunchTickets withRandomKey(SecureRandom random, Clock clock) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return new LaunchTickets(key, clock);
  }

  public String issue(UUID userId, String appId, SemVer version, EnvVersion env) {
    long expires = clock.instant().plus(TTL).getEpochSecond();
    String payload = String.join("|", "v1", appId, version.toString(), env.name(),
        userId.toString(), Long.toString(expires));
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(bytes) + "." + b64.encodeToString(mac(bytes));
  }

  /**
   * The ticket, when {@code text} is one this process signed, for {@code appId}, and not expired
   * more than {@code grace} ago (zero for pages, {@link #ASSET_GRACE} for their assets).
   */
  public Optional<Ticket> verify(String text, String appId, Duration grace) {
    if (text == null || text.length() > TEXT_CHARS_MAX || !TEXT.matcher(text).matches()) {
      return Optional.empty();
    }
    int dot = text.indexOf('.');
    byte[] payload;
    byte[] givenMac;
    try {
      payload = Base64.getUrlDecoder().decode(text.substring(0, dot));
      givenMac = Base64.getUrlDecoder().decode(text.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(mac(payload), givenMac)) {
      return Optional.empty();
    }
    Ticket ticket = parse(new String(payload, StandardCharsets.UTF_8));
    if (!ticket.appId().equals(appId)
        || clock.instant().isAfter(ticket.expiresAt().plus(grace))) {
      return Optional.empty();
    }
    return Optional.of(ticket);
  }

  /** Parses a payload this process signed (so it is well formed). */
  private static Ticket parse(String payload) {
    String[] parts = payload.split("\\|", -1);
    if (parts.length != 6 || !parts[0].equals("v1")) {
      throw new IllegalStateException("a signed launch ticket has an unknown layout");
    }
    return new Ticket(UUID.fromString(parts[4]), parts[1], SemVer.parse(parts[2]),
        EnvVersion.valueOf(parts[3]), Instant.ofEpochSecond(Long.parseLong(parts[5])));
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      return hmac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
