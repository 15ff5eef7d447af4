package dev.hutong.openapi;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.Tx;
import dev.hutong.openapi.gateway.AppDirectory;
import dev.hutong.openapi.gateway.AppStatus;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.PlatformKeys;
import dev.hutong.openapi.gateway.ProtocolCharset;
import dev.hutong.openapi.gateway.RegisteredApp;
import dev.hutong.openapi.gateway.SignType;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The registered apps, in the database ({@code openapi_app}), and the gateway's {@link
 * AppDirectory}. Lookups go through a small in-process cache: every change made here invalidates
 * its entry at once; a change made by another process is seen within {@link #CACHE_TTL_SECONDS}.
 *
 * <p>Registration refuses what would break the protocol or the platform: malformed keys, keys too
 * short for the sign type, the platform's own key, notify URLs that are not absolute http(s) and,
 * in public mode, notify URLs pointing into private networks ({@link NotifyUrlPolicy}).
 */
public final class AppRegistry implements AppDirectory {
  public static final int NAME_CHARS_MAX = 64;
  /** Apps in the cache; past it the cache starts over (a bound on memory, not a tuning knob). */
  static final int CACHE_ENTRIES_MAX = 10_000;
  public static final int CACHE_TTL_SECONDS = 30;
  /** RSA2 (SHA256withRSA) apps need 2048-bit keys, as Alipay requires; RSA may keep 1024. */
  public static final int RSA2_BITS_MIN = 2048;
  static final int MERCHANT_APPS_MAX = 1000;
  private static final int APP_ID_DRAWS_MAX = 8;
  private static final int APP_ID_RANDOM_DIGITS = 12;
  private static final Pattern APP_ID = Pattern.compile("[0-9]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long CACHE_TTL_NANOS = TimeUnit.SECONDS.toNanos(CACHE_TTL_SECONDS);

  /** A lookup's outcome; info and app are null for an unknown app_id. */
  private record Cached(AppInfo info, RegisteredApp app, long loadedAtNanos) {}

  private final Jdbi jdbi;
  private final PlatformKeys platformKeys;
  private final Merchants merchants;
  private final NotifyUrlPolicy notifyUrls;
  private final Clock clock;
  private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();

  AppRegistry(Jdbi jdbi, PlatformKeys platformKeys, Merchants merchants,
      NotifyUrlPolicy notifyUrls, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.platformKeys = Objects.requireNonNull(platformKeys, "platformKeys");
    this.merchants = Objects.requireNonNull(merchants, "merchants");
    this.notifyUrls = Objects.requireNonNull(notifyUrls, "notifyUrls");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Registers an app of the merchant.
   *
   * @param name shown to users and operators; null or blank: the merchant's name
   * @param appPublicKeyText the app's RSA public key: base64 X.509 (what Alipay's key tool
   *     writes), with or without PEM armour
   * @param notifyUrl the default notify URL, or null for none
   * @param signType the sign type the app's requests use; its notifications use it too
   * @throws OpenApiException naming the problem (see its constants)
   */
  public AppRegistration register(UUID merchantId, String name, String appPublicKeyText,
      String notifyUrl, SignType signType) {
    Objects.requireNonNull(merchantId, "merchantId");
    Objects.requireNonNull(signType, "signType");
    Merchant merchant = merchants.find(merchantId).orElseThrow(() -> new OpenApiException(
        OpenApiException.MERCHANT_NOT_FOUND, "no merchant " + merchantId + "; create the "
            + "merchant first"));
    if (merchant.status() != MerchantStatus.ACTIVE) {
      throw new OpenApiException(OpenApiException.MERCHANT_FROZEN, "merchant " + merchantId
          + " is frozen and can not register apps");
    }
    RSAPublicKey key = parseKey(appPublicKeyText, signType);
    try {
      platformKeys.requireDistinctAppKey("(new app)", key);
    } catch (IllegalArgumentException e) {
      throw new OpenApiException(OpenApiException.PLATFORM_KEY_REUSED, e.getMessage(), e);
    }
    String url = notifyUrl == null || notifyUrl.isBlank() ? null : notifyUrls.check(notifyUrl.strip());
    String appName = appName(name, merchant);
    Instant now = clock.instant();
    for (int draw = 1; draw <= APP_ID_DRAWS_MAX; draw++) {
      String appId = newAppId(now);
      int inserted = Tx.run(jdbi, h -> h.createUpdate("INSERT INTO openapi_app (app_id,"
              + " merchant_id, name, public_key, sign_type, notify_url, status, created_at,"
              + " updated_at) VALUES (:id, :merchant, :name, :key, :signType, :url, 'ACTIVE',"
              + " :now, :now) ON CONFLICT (app_id) DO NOTHING")
          .bind("id", appId).bind("merchant", Tx.uuid(merchantId)).bind("name", appName)
          .bind("key", KeyPairs.publicKeyBase64(key)).bind("signType", signType.name())
          .bind("url", url).bind("now", Tx.at(now)).execute());
      if (inserted == 1) {
        cache.remove(appId); // a negative entry from a probe for this id
        return new AppRegistration(appId, platformKeys.publicKeyBase64());
      }
    }
    throw new IllegalStateException("could not draw an unused app_id in " + APP_ID_DRAWS_MAX
        + " attempts");
  }

  /** The app as the gateway needs it; empty when unknown. Suspended apps are returned too. */
  @Override
  public Optional<RegisteredApp> find(String appId) {
    return Optional.ofNullable(load(appId).app());
  }

  /** The app as the operator sees it; empty when unknown. */
  public Optional<AppInfo> info(String appId) {
    return Optional.ofNullable(load(appId).info());
  }

  /** The merchant's apps, oldest first (at most {@value #MERCHANT_APPS_MAX}). */
  public List<AppInfo> appsOf(UUID merchantId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM openapi_app WHERE merchant_id = :m"
            + " ORDER BY created_at, app_id LIMIT :n")
        .bind("m", Tx.uuid(merchantId)).bind("n", MERCHANT_APPS_MAX)
        .map((rs, ctx) -> info(rs)).list());
  }

  /**
   * Suspends (calls fail with isv.invalid-app-id) or reinstates an app.
   *
   * @throws OpenApiException {@link OpenApiException#APP_NOT_FOUND}
   */
  public void setStatus(String appId, AppStatus status) {
    Objects.requireNonNull(status, "status");
    int changed = Tx.run(jdbi, h -> h.createUpdate("UPDATE openapi_app SET status = :s,"
            + " updated_at = :now WHERE app_id = :id")
        .bind("s", status.name()).bind("now", Tx.at(clock.instant())).bind("id", appId).execute());
    cache.remove(appId);
    if (changed == 0) {
      throw new OpenApiException(OpenApiException.APP_NOT_FOUND, "no app " + appId);
    }
  }

  /**
   * Remembers the charset of the app's latest trade-creating request, which its notifications
   * use. Writes only when it changed, so the hot path costs a cache lookup.
   */
  void noteCharset(String appId, ProtocolCharset charset) {
    AppInfo info = load(appId).info();
    if (info == null || info.charset() == charset) {
      return;
    }
    Tx.run(jdbi, h -> h.createUpdate("UPDATE openapi_app SET charset = :c, updated_at = :now"
            + " WHERE app_id = :id AND charset <> :c")
        .bind("c", charset.protocolName()).bind("now", Tx.at(clock.instant())).bind("id", appId)
        .execute());
    cache.remove(appId);
  }

  private Cached load(String appId) {
    long now = System.nanoTime();
    if (appId == null || !APP_ID.matcher(appId).matches()) {
      return new Cached(null, null, now); // never registered: not worth a query or a cache slot
    }
    Cached cached = cache.get(appId);
    if (cached != null && now - cached.loadedAtNanos() < CACHE_TTL_NANOS) {
      return cached;
    }
    AppInfo info = Tx.read(jdbi, h -> h.createQuery("SELECT * FROM openapi_app WHERE app_id = :id")
        .bind("id", appId).map((rs, ctx) -> info(rs)).findOne()).orElse(null);
    RegisteredApp app = info == null ? null : new RegisteredApp(info.appId(),
        info.merchantId().toString(), KeyPairs.parsePublicKey(info.publicKey()),
        Set.of(info.signType()), info.status(), info.notifyUrl());
    Cached fresh = new Cached(info, app, now);
    if (cache.size() >= CACHE_ENTRIES_MAX) {
      cache.clear();
    }
    cache.put(appId, fresh);
    return fresh;
  }

  private static AppInfo info(ResultSet rs) throws SQLException {
    return new AppInfo(rs.getString("app_id"), Tx.uuid(rs, "merchant_id"), rs.getString("name"),
        rs.getString("public_key"), SignType.valueOf(rs.getString("sign_type")),
        rs.getString("notify_url"), ProtocolCharset.fromName(rs.getString("charset")).orElseThrow(),
        AppStatus.valueOf(rs.getString("status")), Tx.instant(rs, "created_at"));
  }

  private static RSAPublicKey parseKey(String text, SignType signType) {
    RSAPublicKey key;
    try {
      key = KeyPairs.parsePublicKey(text);
    } catch (IllegalArgumentException e) {
      throw new OpenApiException(OpenApiException.INVALID_PUBLIC_KEY, e.getMessage(), e);
    }
    int bits = key.getModulus().bitLength();
    if (signType == SignType.RSA2 && bits < RSA2_BITS_MIN) {
      throw new OpenApiException(OpenApiException.INVALID_PUBLIC_KEY, "the key has " + bits
          + " bits; RSA2 apps need at least " + RSA2_BITS_MIN + " (generate a 2048-bit key pair)");
    }
    return key;
  }

  private static String appName(String name, Merchant merchant) {
    if (name == null || name.isBlank()) {
      String fallback = merchant.name(); // identity keeps merchant names free of control chars
      return fallback.codePointCount(0, fallback.length()) <= NAME_CHARS_MAX ? fallback
          : fallback.substring(0, fallback.offsetByCodePoints(0, NAME_CHARS_MAX));
    }
    String value = name.strip();
    if (value.codePointCount(0, value.length()) > NAME_CHARS_MAX
        || value.codePoints().anyMatch(Character::isISOControl)) {
      throw new OpenApiException(OpenApiException.INVALID_APP_NAME, "the app name must be 1 to "
          + NAME_CHARS_MAX + " characters without control characters");
    }
    return value;
  }

  /** The GMT+8 year, then 12 random digits: 2021 plus 12 digits is Alipay's shape. */
  private static String newAppId(Instant now) {
    StringBuilder id = new StringBuilder(16)
        .append(now.atOffset(ZoneOffset.ofHours(8)).getYear());
    for (int i = 0; i < APP_ID_RANDOM_DIGITS; i++) {
      id.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return id.toString();
  }
}
