package dev.hutong.openapi;

/**
 * The open platform's settings.
 *
 * @param publicMode the server faces the internet ({@code --public} / {@code HUTONG_PUBLIC=true}):
 *     notify URLs whose host is, or resolves to, a loopback, private or link-local address are
 *     refused, so that apps cannot make the platform call into its own network (server-side
 *     request forgery). In the default single-machine mode they are accepted: a merchant back end
 *     on the same machine or LAN is the normal case there.
 * @param oauthCodeTtlSeconds how long an authorization code from {@link
 *     OAuthService#issueCode} may be exchanged (single use); 10 s to 1 day
 * @param accessTokenTtlSeconds how long an access token works (Alipay's expires_in); 60 s to 1 year
 * @param refreshTokenTtlSeconds how long a refresh token works (Alipay's re_expires_in); at least
 *     the access token's, at most 10 years
 */
public record OpenPlatformSettings(boolean publicMode, int oauthCodeTtlSeconds,
    int accessTokenTtlSeconds, int refreshTokenTtlSeconds) {
  /** 5 minutes: the mini-program exchanges its code at once; Alipay allows 3 min to 24 h. */
  public static final int DEFAULT_OAUTH_CODE_TTL_SECONDS = 300;
  /** 15 days, a common Alipay expires_in for user tokens. */
  public static final int DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 15 * 24 * 3600;
  /** 30 days. */
  public static final int DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  public OpenPlatformSettings {
    if (oauthCodeTtlSeconds < 10 || oauthCodeTtlSeconds > 24 * 3600) {
      throw new IllegalArgumentException("oauthCodeTtlSeconds must be 10 to 86400, not "
          + oauthCodeTtlSeconds);
    }
    if (accessTokenTtlSeconds < 60 || accessTokenTtlSeconds > 366 * 24 * 3600) {
      throw new IllegalArgumentException("accessTokenTtlSeconds must be 60 s to 366 days, not "
          + accessTokenTtlSeconds);
    }
    if (refreshTokenTtlSeconds < accessTokenTtlSeconds
        || refreshTokenTtlSeconds > 3660 * 24 * 3600) {
      throw new IllegalArgumentException("refreshTokenTtlSeconds must be at least "
          + "accessTokenTtlSeconds and at most 3660 days, not " + refreshTokenTtlSeconds);
    }
  }

  public static OpenPlatformSettings defaults(boolean publicMode) {
    return new OpenPlatformSettings(publicMode, DEFAULT_OAUTH_CODE_TTL_SECONDS,
        DEFAULT_ACCESS_TOKEN_TTL_SECONDS, DEFAULT_REFRESH_TOKEN_TTL_SECONDS);
  }
}
