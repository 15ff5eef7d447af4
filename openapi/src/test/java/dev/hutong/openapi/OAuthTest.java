package dev.hutong.openapi;

import static dev.hutong.openapi.Sdk.assertFailure;
import static dev.hutong.openapi.Sdk.assertSuccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.request.AlipayUserInfoShareRequest;
import com.alipay.api.response.AlipaySystemOauthTokenResponse;
import com.alipay.api.response.AlipayUserInfoShareResponse;
import dev.hutong.identity.DerivedIds;
import dev.hutong.identity.User;
import dev.hutong.openapi.OpenApiFixture.App;
import dev.hutong.openapi.gateway.AppStatus;
import dev.hutong.openapi.gateway.SignType;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * alipay.system.oauth.token and alipay.user.info.share through the official SDK: single-use,
 * short-lived codes, refresh tokens, scopes, expiry with an injected clock.
 */
@Tag("db")
class OAuthTest {
  private static final int CODE_TTL = 300;
  private static final int ACCESS_TTL = 120;
  private static final int REFRESH_TTL = 600;
  static OpenApiFixture f;
  static App a;
  static App b;

  @BeforeAll
  static void start() {
    f = new OpenApiFixture("openapi_oauth",
        new OpenPlatformSettings(false, CODE_TTL, ACCESS_TTL, REFRESH_TTL),
        new NotifyUrlPolicy(false));
    a = f.app(Keys.APP_A, SignType.RSA2);
    b = f.app(Keys.APP_B, SignType.RSA);
  }

  @AfterEach
  void invariants() throws Exception {
    f.clock.reset();
    f.assertInvariants();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static Stream<Arguments> charsetsAndSignTypes() {
    return Stream.of(Arguments.of("UTF-8", SignType.RSA2), Arguments.of("UTF-8", SignType.RSA),
        Arguments.of("GBK", SignType.RSA2), Arguments.of("GBK", SignType.RSA));
  }

  static AlipaySystemOauthTokenResponse exchange(DefaultAlipayClient client, String code) {
    AlipaySystemOauthTokenRequest r = new AlipaySystemOauthTokenRequest();
    r.setGrantType("authorization_code");
    r.setCode(code);
    return OpenApiFixture.execute(client, r);
  }

  static AlipaySystemOauthTokenResponse refresh(DefaultAlipayClient client, String token) {
    AlipaySystemOauthTokenRequest r = new AlipaySystemOauthTokenRequest();
    r.setGrantType("refresh_token");
    r.setRefreshToken(token);
    return OpenApiFixture.execute(client, r);
  }

  static AlipayUserInfoShareResponse share(DefaultAlipayClient client, String accessToken) {
    try {
      return client.execute(new AlipayUserInfoShareRequest(), accessToken);
    } catch (AlipayApiException e) {
      throw new AssertionError(e.getErrMsg(), e);
    }
  }

  private static String code(User u, App app, String... scopes) {
    return f.platform.oauth().issueCode(u.id(), app.appId(), Set.of(scopes));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("charsetsAndSignTypes")
  void aCodeBuysOpenIdAndTokensOnceAndTheTokenReadsTheProfile(String charset, SignType type) {
    App app = type == SignType.RSA2 ? a : b;
    DefaultAlipayClient client = f.client(app, charset);
    User user = f.user(0, "小明");
    String code = code(user, app, OAuthService.AUTH_USER);
    assertThat(code).matches("[0-9A-Za-z]{32}");

    AlipaySystemOauthTokenResponse token = exchange(client, code);
    assertSuccess(token);
    String openId = f.openIds.openIdFor(app.appId(), user.id());
    assertThat(token.getOpenId()).isEqualTo(openId);
    assertThat(token.getUserId()).isNull();
    assertThat(token.getBody()).doesNotContain(user.id().toString());
    assertThat(token.getAccessToken()).matches("[0-9A-Za-z]{40}");
    assertThat(token.getRefreshToken()).matches("[0-9A-Za-z]{40}")
        .isNotEqualTo(token.getAccessToken());
    assertThat(token.getExpiresIn()).isEqualTo(String.valueOf(ACCESS_TTL));
    assertThat(token.getReExpiresIn()).isEqualTo(String.valueOf(REFRESH_TTL));
    assertThat(token.getAuthStart().toInstant()).isCloseTo(Instant.now(),
        within(Duration.ofMinutes(1)));

    assertFailure(exchange(client, code), "40002", "isv.code-invalid");
    assertThat(exchange(client, code).getSubMsg()).contains("used already");

    AlipayUserInfoShareResponse profile = share(client, token.getAccessToken());
    assertSuccess(profile);
    assertThat(profile.getNickName()).isEqualTo("小明");
    assertThat(profile.getOpenId()).isEqualTo(openId);
    assertThat(profile.getUserId()).isNull();
    assertThat(profile.getAvatar()).isNull();
  }

  @Test
  void codesAndTokensAreStoredOnlyAsHashes() {
    User user = f.user(0);
    String code = code(user, a, OAuthService.AUTH_BASE);
    AlipaySystemOauthTokenResponse token = exchange(f.client(a, "UTF-8"), code);
    long codes = f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM openapi_oauth_code"
            + " WHERE code_hash = :h").bind("h", DerivedIds.sha256(code)).mapTo(Long.class).one());
    long grants = f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM openapi_oauth_grant"
            + " WHERE access_hash = :a AND refresh_hash = :r")
        .bind("a", DerivedIds.sha256(token.getAccessToken()))
        .bind("r", DerivedIds.sha256(token.getRefreshToken())).mapTo(Long.class).one());
    assertThat(codes).isEqualTo(1);
    assertThat(grants).isEqualTo(1);
  }

  @Test
  void aCodeExpires() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User user = f.user(0);
    String late = code(user, a, OAuthService.AUTH_BASE);
    String inTime = code(user, a, OAuthService.AUTH_BASE);
    f.clock.advance(Duration.ofSeconds(CODE_TTL - 1));
    assertSuccess(exchange(client, inTime));
    f.clock.advance(Duration.ofSeconds(1));
    AlipaySystemOauthTokenResponse expired = exchange(client, late);
    assertFailure(expired, "40002", "isv.code-invalid");
    assertThat(expired.getSubMsg()).startsWith("授权码(auth_code)错误、状态不对或过期")
        .contains("expired");
  }

  @Test
  void aCodeWorksOnlyForItsApp() {
    User user = f.user(0);
    String code = code(user, a, OAuthService.AUTH_USER);
    assertFailure(exchange(f.client(b, "UTF-8"), code), "40002", "isv.code-invalid");
    assertSuccess(exchange(f.client(a, "UTF-8"), code));
    assertFailure(exchange(f.client(a, "UTF-8"), "not a code!"), "40002", "isv.code-invalid");
  }

  @Test
  void refreshingIssuesANewPairAndRetiresTheOldOne() {
    DefaultAlipayClient client = f.client(a, "GBK");
    User user = f.user(0, "阿花");
    AlipaySystemOauthTokenResponse first = exchange(client, code(user, a, OAuthService.AUTH_USER));
    f.clock.advance(Duration.ofSeconds(5));

    AlipaySystemOauthTokenResponse second = refresh(client, first.getRefreshToken());
    assertSuccess(second);
    assertThat(second.getOpenId()).isEqualTo(first.getOpenId());
    assertThat(second.getAccessToken()).isNotEqualTo(first.getAccessToken());
    assertThat(second.getRefreshToken()).isNotEqualTo(first.getRefreshToken());
    assertThat(second.getAuthStart()).isEqualTo(first.getAuthStart());

    assertFailure(refresh(client, first.getRefreshToken()), "40002", "isv.refresh-token-invalid");
    assertFailure(share(client, first.getAccessToken()), "20001", "aop.invalid-auth-token");
    assertThat(share(client, second.getAccessToken()).getNickName()).isEqualTo("阿花");
    assertFailure(refresh(f.client(b, "UTF-8"), second.getRefreshToken()), "40002",
        "isv.refresh-token-invalid");
  }

  @Test
  void accessAndRefreshTokensExpire() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User user = f.user(0);
    AlipaySystemOauthTokenResponse token = exchange(client, code(user, a, OAuthService.AUTH_USER));
    f.clock.advance(Duration.ofSeconds(ACCESS_TTL));
    assertFailure(share(client, token.getAccessToken()), "20001", "aop.auth-token-time-out");

    AlipaySystemOauthTokenResponse refreshed = refresh(client, token.getRefreshToken());
    assertSuccess(refreshed);
    assertSuccess(share(client, refreshed.getAccessToken()));
    f.clock.advance(Duration.ofSeconds(REFRESH_TTL));
    assertFailure(refresh(client, refreshed.getRefreshToken()), "40002",
        "isv.refresh-token-time-out");
  }

  @Test
  void anAuthBaseTokenGivesTheOpenIdButNotTheProfile() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User user = f.user(0, "沉默");
    AlipaySystemOauthTokenResponse token = exchange(client, code(user, a, OAuthService.AUTH_BASE));
    assertSuccess(token);
    assertThat(token.getOpenId()).isEqualTo(f.openIds.openIdFor(a.appId(), user.id()));
    AlipayUserInfoShareResponse profile = share(client, token.getAccessToken());
    assertFailure(profile, "20001", "aop.invalid-auth-token");
    assertThat(profile.getSubMsg()).contains("auth_base").contains("auth_user");
    assertThat(profile.getNickName()).isNull();
  }

  @Test
  void tokensWorkOnlyForTheirApp() {
    User user = f.user(0);
    AlipaySystemOauthTokenResponse token = exchange(f.client(a, "UTF-8"),
        code(user, a, OAuthService.AUTH_USER));
    assertFailure(share(f.client(b, "UTF-8"), token.getAccessToken()), "20001",
        "aop.invalid-auth-token");
    assertFailure(share(f.client(a, "UTF-8"), "NoSuchToken"), "20001", "aop.invalid-auth-token");
  }

  @Test
  void grantTypeCodeAndRefreshTokenAreChecked() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    AlipaySystemOauthTokenRequest r = new AlipaySystemOauthTokenRequest();
    r.setGrantType("password");
    assertFailure(OpenApiFixture.execute(client, r), "40002", "isv.grant-type-invalid");
    r.setGrantType(null);
    assertFailure(OpenApiFixture.execute(client, r), "40002", "isv.grant-type-invalid");
    r.setGrantType("authorization_code");
    assertFailure(OpenApiFixture.execute(client, r), "40002", "isv.code-invalid");
    r.setGrantType("refresh_token");
    assertFailure(OpenApiFixture.execute(client, r), "40002", "isv.refresh-token-invalid");
    // The access token travels as auth_token; without one the profile is refused.
    try {
      assertFailure(client.execute(new AlipayUserInfoShareRequest()), "20001",
          "aop.invalid-auth-token");
    } catch (AlipayApiException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void revokingTheConsentEndsCodesAndTokens() {
    DefaultAlipayClient client = f.client(a, "UTF-8");
    User user = f.user(0);
    AlipaySystemOauthTokenResponse token = exchange(client, code(user, a, OAuthService.AUTH_USER));
    String unused = code(user, a, OAuthService.AUTH_BASE);
    assertThat(f.platform.oauth().consentedScopes(user.id(), a.appId()))
        .containsExactly(OAuthService.AUTH_BASE, OAuthService.AUTH_USER);

    assertThat(f.platform.oauth().revokeConsent(user.id(), a.appId())).isTrue();

    assertThat(f.platform.oauth().consentedScopes(user.id(), a.appId())).isEmpty();
    assertFailure(share(client, token.getAccessToken()), "20001", "aop.invalid-auth-token");
    assertFailure(refresh(client, token.getRefreshToken()), "40002", "isv.refresh-token-invalid");
    assertFailure(exchange(client, unused), "40002", "isv.code-invalid");
    assertThat(f.platform.oauth().revokeConsent(user.id(), a.appId())).isFalse();
  }

  @Test
  void consentsGrowWithNewScopes() {
    User user = f.user(0);
    code(user, b, OAuthService.AUTH_BASE);
    assertThat(f.platform.oauth().consentedScopes(user.id(), b.appId()))
        .containsExactly(OAuthService.AUTH_BASE);
    code(user, b, OAuthService.AUTH_USER);
    code(user, b, OAuthService.AUTH_BASE);
    assertThat(f.platform.oauth().consentedScopes(user.id(), b.appId()))
        .containsExactly(OAuthService.AUTH_BASE, OAuthService.AUTH_USER);
  }

  @Test
  void issueCodeRefusesWhatCanNotBeAuthorized() {
    User user = f.user(0);
    OAuthService oauth = f.platform.oauth();
    assertSubCode(() -> oauth.issueCode(user.id(), a.appId(), Set.of()),
        OpenApiException.INVALID_SCOPE);
    assertSubCode(() -> oauth.issueCode(user.id(), a.appId(), Set.of("auth_zhima")),
        OpenApiException.INVALID_SCOPE);
    assertSubCode(() -> oauth.issueCode(user.id(), "2021999999999999", Set.of("auth_base")),
        OpenApiException.APP_NOT_FOUND);
    assertSubCode(() -> oauth.issueCode(UUID.randomUUID(), a.appId(), Set.of("auth_base")),
        OpenApiException.USER_NOT_FOUND);
    App suspended = f.app(Keys.APP_B, SignType.RSA2);
    f.platform.apps().setStatus(suspended.appId(), AppStatus.SUSPENDED);
    assertSubCode(() -> oauth.issueCode(user.id(), suspended.appId(), Set.of("auth_base")),
        OpenApiException.APP_SUSPENDED);
  }

  @Test
  void expiredRowsAreDeletedADayLater() {
    User user = f.user(0);
    String code = code(user, a, OAuthService.AUTH_BASE);
    f.clock.advance(Duration.ofSeconds(CODE_TTL).plusDays(1).minusSeconds(5));
    f.platform.oauth().deleteExpired(1000);
    assertThat(codeRows(code)).isEqualTo(1);
    f.clock.advance(Duration.ofSeconds(10));
    assertThat(f.platform.oauth().deleteExpired(1000)).isPositive();
    assertThat(codeRows(code)).isZero();
  }

  private static long codeRows(String code) {
    return f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM openapi_oauth_code"
        + " WHERE code_hash = :h").bind("h", DerivedIds.sha256(code)).mapTo(Long.class).one());
  }

  static void assertSubCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      String subCode) {
    assertThatThrownBy(call).isInstanceOfSatisfying(OpenApiException.class,
        e -> assertThat(e.subCode()).as(e.getMessage()).isEqualTo(subCode));
  }
}
