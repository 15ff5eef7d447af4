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
 *
 * <p>Review previews ({@link #issuePreview}) are a second kind, {@code p1|...}: issued to an
 * operator (who has no shell user) for exactly one version under review, for
 * {@link #PREVIEW_TTL}, and never accepted more than that after expiry, even for assets. The
 * content origin serves one only while the version is still under review.
 */
public final class LaunchTickets {
  /** How long a ticket opens pages: long enough for a session in the app, short if leaked. */
  public static final Duration TTL = Duration.ofMinutes(30);
  /** How long a ticket keeps serving an already opened page's scripts, styles and images. */
  public static final Duration ASSET_GRACE = Duration.ofHours(12);
  /** How long a review preview's ticket opens pages: one look at the version, then ask again. */
  public static final Duration PREVIEW_TTL = Duration.ofMinutes(5);
  /** Longest ticket text accepted (the payload's parts are all bounded). */
  public static final int TEXT_CHARS_MAX = 400;
  private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_-]{1,300}\\.[A-Za-z0-9_-]{43}");

  /**
   * What a valid ticket says. {@code userId} is the shell user; for a {@code preview} it is the
   * operator the preview was issued to, who is not a user and gets no user's data.
   */
  public record Ticket(UUID userId, String appId, SemVer version, EnvVersion env,
      Instant expiresAt, boolean preview) {}

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
    return sign("v1", userId, appId, version, env, TTL);
  }

  /** A review preview of {@code version} for {@code operatorId} (envVersion trial). */
  public String issuePreview(UUID operatorId, String appId, SemVer version) {
    return sign("p1", operatorId, appId, version, EnvVersion.TRIAL, PREVIEW_TTL);
  }

  private String sign(String kind, UUID principal, String appId, SemVer version,
      EnvVersion env, Duration ttl) {
    long expires = clock.instant().plus(ttl).getEpochSecond();
    String payload = String.join("|", kind, appId, version.toString(), env.name(),
        principal.toString(), Long.toString(expires));
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
    // A preview's assets get no long grace: the version may be decided (and gone) by then.
    Duration allowed = ticket.preview() && grace.compareTo(PREVIEW_TTL) > 0 ? PREVIEW_TTL : grace;
    if (!ticket.appId().equals(appId)
        || clock.instant().isAfter(ticket.expiresAt().plus(allowed))) {
      return Optional.empty();
    }
    return Optional.of(ticket);
  }

  /** Parses a payload this process signed (so it is well formed). */
  private static Ticket parse(String payload) {
    String[] parts = payload.split("\\|", -1);
    if (parts.length != 6 || !(parts[0].equals("v1") || parts[0].equals("p1"))) {
      throw new IllegalStateException("a signed launch ticket has an unknown layout");
    }
    return new Ticket(UUID.fromString(parts[4]), parts[1], SemVer.parse(parts[2]),
        EnvVersion.valueOf(parts[3]), Instant.ofEpochSecond(Long.parseLong(parts[5])),
        parts[0].equals("p1"));
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
