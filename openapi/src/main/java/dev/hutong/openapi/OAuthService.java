package dev.hutong.openapi;

import dev.hutong.identity.DerivedIds;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.Tx;
import dev.hutong.identity.User;
import dev.hutong.identity.UserStatus;
import dev.hutong.identity.Users;
import dev.hutong.openapi.gateway.AppStatus;
import dev.hutong.openapi.gateway.GatewayError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * User authorization for apps, Alipay's way: the user consents (the shell's consent sheet, or the
 * admin CLI) and the app receives a single-use, short-lived code ({@link #issueCode}); its back
 * end exchanges the code for an access token and a refresh token (alipay.system.oauth.token) and
 * reads what the user consented to share with the access token (alipay.user.info.share).
 *
 * <p>Scopes: {@value #AUTH_BASE} (silent: the app learns the user's open_id) and {@value
 * #AUTH_USER} (the user agreed to share nick name and avatar; implies auth_base).
 *
 * <p>Codes and tokens are random (190 and 238 bits) and stored only as SHA-256 hashes, so a copy
 * of the database yields none. A code works once, for the app it was issued to, within {@link
 * OpenPlatformSettings#oauthCodeTtlSeconds()}. A refresh token works once: refreshing issues a new
 * pair and ends the old access token.
 */
public final class OAuthService {
  public static final String AUTH_BASE = "auth_base";
  public static final String AUTH_USER = "auth_user";
  static final int CODE_CHARS = 32;
  static final int TOKEN_CHARS = 40;
  /** Used and expired rows are kept this long (to explain a late second use), then deleted. */
  static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

  static final String CODE_INVALID = "isv.code-invalid";
  static final String GRANT_TYPE_INVALID = "isv.grant-type-invalid";
  static final String REFRESH_TOKEN_INVALID = "isv.refresh-token-invalid";
  static final String REFRESH_TOKEN_TIME_OUT = "isv.refresh-token-time-out";
  static final String INVALID_AUTH_TOKEN = "aop.invalid-auth-token";
  static final String AUTH_TOKEN_TIME_OUT = "aop.auth-token-time-out";

  /** A new access and refresh token pair, as alipay.system.oauth.token returns it. */
  record TokenGrant(UUID userId, Set<String> scopes, String accessToken, String refreshToken,
      long accessTtlSeconds, long refreshTtlSeconds, Instant authStart) {}

  /** What a valid access token stands for. */
  record AccessGrant(UUID userId, Set<String> scopes) {}

  private final Jdbi jdbi;
  private final AppRegistry apps;
  private final Users users;
  private final OpenPlatformSettings settings;
  private final Clock clock;

  OAuthService(Jdbi jdbi, AppRegistry apps, Users users, OpenPlatformSettings settings,
      Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.apps = Objects.requireNonNull(apps, "apps");
    this.users = Objects.requireNonNull(users, "users");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records the user's consent to share {@code scopes} with the app and returns a code the app
   * exchanges with alipay.system.oauth.token (what {@code my.getAuthCode} hands the mini-program).
   *
   * @param scopes a non-empty set of {@value #AUTH_BASE} and {@value #AUTH_USER}
   * @throws OpenApiException INVALID_SCOPE, APP_NOT_FOUND, APP_SUSPENDED, USER_NOT_FOUND,
   *     USER_FROZEN
   */
  public String issueCode(UUID userId, String appId, Set<String> scopes) {
    Objects.requireNonNull(userId, "userId");
    String scopeText = scopeText(normalize(scopes));
    AppInfo app = apps.info(appId).orElseThrow(() -> new OpenApiException(
        OpenApiException.APP_NOT_FOUND, "no app " + appId));
    if (app.status() != AppStatus.ACTIVE) {
      throw new OpenApiException(OpenApiException.APP_SUSPENDED, "app " + appId
          + " is suspended; it can not be authorized");
    }
    User user = users.find(userId).orElseThrow(() -> new OpenApiException(
        OpenApiException.USER_NOT_FOUND, "no user " + userId));
    if (user.status() != UserStatus.ACTIVE) {
      throw new OpenApiException(OpenApiException.USER_FROZEN, "user " + userId + " is frozen");
    }
    Instant now = clock.instant();
    String code = Secrets.base62(CODE_CHARS);
    Tx.run(jdbi, h -> {
      // Consents only grow here (auth_user covers auth_base); revokeConsent takes them back.
      h.createUpdate("INSERT INTO openapi_consent (app_id, user_id, scopes, granted_at)"
              + " VALUES (:app, :user, :scopes, :now) ON CONFLICT (app_id, user_id) DO UPDATE SET"
              + " scopes = CASE WHEN openapi_consent.scopes LIKE '%" + AUTH_USER + "%'"
              + " OR EXCLUDED.scopes LIKE '%" + AUTH_USER + "%' THEN :both ELSE :base END,"
              + " granted_at = EXCLUDED.granted_at")
          .bind("app", appId).bind("user", Tx.uuid(userId)).bind("scopes", scopeText)
          .bind("now", Tx.at(now)).bind("both", AUTH_BASE + " " + AUTH_USER)
          .bind("base", AUTH_BASE).execute();
      return h.createUpdate("INSERT INTO openapi_oauth_code (code_hash, app_id, user_id, scopes,"
              + " issued_at, expires_at) VALUES (:hash, :app, :user, :scopes, :now, :expires)")
          .bind("hash", DerivedIds.sha256(code)).bind("app", appId).bind("user", Tx.uuid(userId))
          .bind("scopes", scopeText).bind("now", Tx.at(now))
          .bind("expires", Tx.at(now.plusSeconds(settings.oauthCodeTtlSeconds()))).execute();
    });
    return code;
  }

  /** What the user currently allows the app; empty when there is no consent. */
  public Set<String> consentedScopes(UUID userId, String appId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT scopes FROM openapi_consent"
            + " WHERE app_id = :app AND user_id = :user")
        .bind("app", appId).bind("user", Tx.uuid(userId)).mapTo(String.class).findOne())
        .map(OAuthService::scopes).orElse(Set.of());
  }

  /**
   * Takes the user's consent back: unused codes and every token of the pair stop working at once.
   *
   * @return whether there was a consent
   */
  public boolean revokeConsent(UUID userId, String appId) {
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> {
      int consents = h.createUpdate("DELETE FROM openapi_consent WHERE app_id = :app"
              + " AND user_id = :user")
          .bind("app", appId).bind("user", Tx.uuid(userId)).execute();
      h.createUpdate("UPDATE openapi_oauth_grant SET revoked_at = :now WHERE app_id = :app"
              + " AND user_id = :user AND revoked_at IS NULL")
          .bind("now", Tx.at(now)).bind("app", appId).bind("user", Tx.uuid(userId)).execute();
      h.createUpdate("UPDATE openapi_oauth_code SET used_at = :now WHERE app_id = :app"
              + " AND user_id = :user AND used_at IS NULL")
          .bind("now", Tx.at(now)).bind("app", appId).bind("user", Tx.uuid(userId)).execute();
      return consents > 0;
    });
  }

  /**
   * Deletes up to {@code batchMax} codes and up to {@code batchMax} token pairs that expired more
   * than a day ago; returns how many rows went. Housekeeping for a periodic job.
   */
  public int deleteExpired(int batchMax) {
    Instant before = clock.instant().minus(KEEP_AFTER_EXPIRY);
    return Tx.run(jdbi, h -> h.createUpdate("DELETE FROM openapi_oauth_code WHERE code_hash IN"
            + " (SELECT code_hash FROM openapi_oauth_code WHERE expires_at < :before LIMIT :n)")
        .bind("before", Tx.at(before)).bind("n", batchMax).execute()
        + h.createUpdate("DELETE FROM openapi_oauth_grant WHERE id IN (SELECT id FROM"
            + " openapi_oauth_grant WHERE refresh_expires_at < :before LIMIT :n)")
        .bind("before", Tx.at(before)).bind("n", batchMax).execute());
  }

  // ------------------------------------------------------------------ the gateway's side

  /** grant_type=authorization_code: spends the code, issues a token pair. */
  TokenGrant exchangeCode(String appId, String code) {
    if (!Secrets.isPlausible(code)) {
      throw codeInvalid("the code is not one this platform issued (1 to 128 letters and digits)");
    }
    Instant now = clock.instant();
    byte[] hash = DerivedIds.sha256(code);
    record Spent(UUID userId, Set<String> scopes, Instant issuedAt) {}
    Optional<TokenGrant> grant = Tx.run(jdbi, h -> h.createQuery("UPDATE openapi_oauth_code"
            + " SET used_at = :now WHERE code_hash = :hash AND app_id = :app AND used_at IS NULL"
            + " AND expires_at > :now RETURNING user_id, scopes, issued_at")
        .bind("now", Tx.at(now)).bind("hash", hash).bind("app", appId)
        .map((rs, ctx) -> new Spent(Tx.uuid(rs, "user_id"), scopes(rs.getString("scopes")),
            Tx.instant(rs, "issued_at")))
        .findOne()
        .map(spent -> newGrant(h, appId, spent.userId(), spent.scopes(), spent.issuedAt(), now)));
    return grant.orElseThrow(() -> codeInvalid(whyCodeFailed(hash, appId, now)));
  }

  /**
   * For an app whose back end is the platform itself (the booking templates): spends the code as
   * alipay.system.oauth.token would and says whose it was. Empty when the code is not a live,
   * unused code of this app.
   */
  public Optional<UUID> redeemCode(String appId, String code) {
    try {
      return Optional.of(exchangeCode(appId, code).userId());
    } catch (GatewayFailure e) {
      return Optional.empty();
    }
  }

  /** grant_type=refresh_token: spends the refresh token, issues a new pair. */
  TokenGrant refresh(String appId, String refreshToken) {
    if (!Secrets.isPlausible(refreshToken)) {
      throw failure(GatewayError.invalidArguments(REFRESH_TOKEN_INVALID,
          "刷新令牌(refresh_token)错误或状态不对: the refresh_token is not one this platform issued"));
    }
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> {
      Optional<StoredGrant> stored = h.createQuery("SELECT * FROM openapi_oauth_grant"
              + " WHERE refresh_hash = :hash FOR UPDATE")
          .bind("hash", DerivedIds.sha256(refreshToken)).map((rs, ctx) -> stored(rs)).findOne();
      if (stored.isEmpty() || !stored.get().appId().equals(appId)) {
        throw failure(GatewayError.invalidArguments(REFRESH_TOKEN_INVALID,
            "刷新令牌(refresh_token)错误或状态不对: no such refresh_token for app " + appId));
      }
      StoredGrant g = stored.get();
      if (g.revokedAt() != null) {
        throw failure(GatewayError.invalidArguments(REFRESH_TOKEN_INVALID,
            "刷新令牌(refresh_token)错误或状态不对: the user revoked this app's authorization; "
                + "ask the user to authorize again"));
      }
      if (g.refreshedAt() != null) {
        throw failure(GatewayError.invalidArguments(REFRESH_TOKEN_INVALID,
            "刷新令牌(refresh_token)错误或状态不对: this refresh_token was used already; a refresh "
                + "token works once: use the refresh_token the last exchange returned"));
      }
      if (!now.isBefore(g.refreshExpiresAt())) {
        throw failure(GatewayError.invalidArguments(REFRESH_TOKEN_TIME_OUT,
            "刷新令牌(refresh_token)过期: it expired at " + g.refreshExpiresAt()
                + "; ask the user to authorize again"));
      }
      h.createUpdate("UPDATE openapi_oauth_grant SET refreshed_at = :now WHERE id = :id")
          .bind("now", Tx.at(now)).bind("id", Tx.uuid(g.id())).execute();
      return newGrant(h, appId, g.userId(), g.scopes(), g.authStart(), now);
    });
  }

  /** The user and scopes behind a live access token of this app. */
  AccessGrant access(String appId, String accessToken) {
    if (!Secrets.isPlausible(accessToken)) {
      throw failure(GatewayError.insufficientTokenPermissions(INVALID_AUTH_TOKEN,
          "无效的访问令牌: the auth_token is not one this platform issued"));
    }
    Optional<StoredGrant> stored = Tx.read(jdbi, h -> h.createQuery("SELECT * FROM"
            + " openapi_oauth_grant WHERE access_hash = :hash")
        .bind("hash", DerivedIds.sha256(accessToken)).map((rs, ctx) -> stored(rs)).findOne());
    if (stored.isEmpty() || !stored.get().appId().equals(appId)) {
      throw failure(GatewayError.insufficientTokenPermissions(INVALID_AUTH_TOKEN,
          "无效的访问令牌: no such access token for app " + appId + "; pass the access_token from "
              + "alipay.system.oauth.token as auth_token (the SDK's execute(request, token))"));
    }
    StoredGrant g = stored.get();
    if (g.revokedAt() != null || g.refreshedAt() != null) {
      throw failure(GatewayError.insufficientTokenPermissions(INVALID_AUTH_TOKEN,
          "无效的访问令牌: " + (g.revokedAt() != null ? "the user revoked this app's authorization"
              : "this token was replaced by a refresh; use the newest access_token")));
    }
    if (!clock.instant().isBefore(g.accessExpiresAt())) {
      throw failure(GatewayError.insufficientTokenPermissions(AUTH_TOKEN_TIME_OUT,
          "访问令牌已过期: it expired at " + g.accessExpiresAt() + "; refresh it with "
              + "grant_type=refresh_token"));
    }
    return new AccessGrant(g.userId(), g.scopes());
  }

  private record StoredGrant(UUID id, String appId, UUID userId, Set<String> scopes,
      Instant accessExpiresAt, Instant refreshExpiresAt, Instant authStart, Instant refreshedAt,
      Instant revokedAt) {}

  private static StoredGrant stored(ResultSet rs) throws SQLException {
    return new StoredGrant(Tx.uuid(rs, "id"), rs.getString("app_id"), Tx.uuid(rs, "user_id"),
        scopes(rs.getString("scopes")), Tx.instant(rs, "access_expires_at"),
        Tx.instant(rs, "refresh_expires_at"), Tx.instant(rs, "auth_start"),
        Tx.instant(rs, "refreshed_at"), Tx.instant(rs, "revoked_at"));
  }

  private TokenGrant newGrant(Handle h, String appId, UUID userId, Set<String> scopes,
      Instant authStart, Instant now) {
    String access = Secrets.base62(TOKEN_CHARS);
    String refresh = Secrets.base62(TOKEN_CHARS);
    h.createUpdate("INSERT INTO openapi_oauth_grant (id, app_id, user_id, scopes, access_hash,"
            + " access_expires_at, refresh_hash, refresh_expires_at, auth_start, created_at)"
            + " VALUES (:id, :app, :user, :scopes, :access, :accessExpires, :refresh,"
            + " :refreshExpires, :authStart, :now)")
        .bind("id", Tx.uuid(UUID.randomUUID())).bind("app", appId).bind("user", Tx.uuid(userId))
        .bind("scopes", scopeText(scopes)).bind("access", DerivedIds.sha256(access))
        .bind("accessExpires", Tx.at(now.plusSeconds(settings.accessTokenTtlSeconds())))
        .bind("refresh", DerivedIds.sha256(refresh))
        .bind("refreshExpires", Tx.at(now.plusSeconds(settings.refreshTokenTtlSeconds())))
        .bind("authStart", Tx.at(authStart)).bind("now", Tx.at(now)).execute();
    return new TokenGrant(userId, scopes, access, refresh, settings.accessTokenTtlSeconds(),
        settings.refreshTokenTtlSeconds(), authStart);
  }

  /** The English half of isv.code-invalid: which of Alipay's listed causes it is. */
  private String whyCodeFailed(byte[] hash, String appId, Instant now) {
    record Row(String appId, Instant expiresAt, Instant usedAt) {}
    Optional<Row> row = Tx.read(jdbi, h -> h.createQuery("SELECT app_id, expires_at, used_at FROM"
            + " openapi_oauth_code WHERE code_hash = :hash")
        .bind("hash", hash)
        .map((rs, ctx) -> new Row(rs.getString("app_id"), Tx.instant(rs, "expires_at"),
            Tx.instant(rs, "used_at")))
        .findOne());
    if (row.isEmpty() || !row.get().appId().equals(appId)) {
      return "no such code for app " + appId + " (a code works only for the app it was issued to)";
    }
    if (row.get().usedAt() != null) {
      return "the code was used already; a code works once: get a new one with my.getAuthCode";
    }
    return "the code expired at " + row.get().expiresAt() + " (codes live "
        + settings.oauthCodeTtlSeconds() + " s); get a new one with my.getAuthCode";
  }

  private static GatewayFailure codeInvalid(String detail) {
    return failure(GatewayError.invalidArguments(CODE_INVALID,
        "授权码(auth_code)错误、状态不对或过期: " + detail));
  }

  private static GatewayFailure failure(GatewayError error) {
    return new GatewayFailure(error);
  }

  /** auth_user implies auth_base; anything else is refused. */
  static Set<String> normalize(Set<String> scopes) {
    if (scopes == null || scopes.isEmpty()) {
      throw new OpenApiException(OpenApiException.INVALID_SCOPE, "give at least one scope: "
          + AUTH_BASE + " or " + AUTH_USER);
    }
    Set<String> out = new TreeSet<>();
    for (String scope : scopes) {
      if (!AUTH_BASE.equals(scope) && !AUTH_USER.equals(scope)) {
        throw new OpenApiException(OpenApiException.INVALID_SCOPE, "unknown scope '" + scope
            + "'; scopes are " + AUTH_BASE + " and " + AUTH_USER);
      }
      out.add(scope);
    }
    out.add(AUTH_BASE);
    return Collections.unmodifiableSet(out);
  }

  private static String scopeText(Set<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }

  private static Set<String> scopes(String text) {
    return Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(text.split(" "))));
  }
}
