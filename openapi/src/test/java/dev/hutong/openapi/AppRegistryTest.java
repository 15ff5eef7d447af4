package dev.hutong.openapi;

import static dev.hutong.openapi.Sdk.assertFailure;
import static dev.hutong.openapi.Sdk.assertSuccess;
import static dev.hutong.openapi.Sdk.biz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.response.AlipayTradeQueryResponse;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.openapi.OpenApiFixture.App;
import dev.hutong.openapi.gateway.AppStatus;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.ProtocolCharset;
import dev.hutong.openapi.gateway.RegisteredApp;
import dev.hutong.openapi.gateway.SignType;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** App registration and lookup, on a platform in public mode. */
@Tag("db")
class AppRegistryTest {
  static final String NOTIFY = "https://merchant.example/notify";
  static OpenApiFixture f;
  static AppRegistry apps;

  @BeforeAll
  static void start() {
    f = new OpenApiFixture("openapi_apps", OpenPlatformSettings.defaults(true),
        new NotifyUrlPolicy(true, NotifyUrlPolicyTest.RESOLVER));
    apps = f.platform.apps();
  }

  @AfterEach
  void invariants() throws Exception {
    f.assertInvariants();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static void assertSubCode(ThrowingCallable call, String subCode) {
    assertThatThrownBy(call).isInstanceOfSatisfying(OpenApiException.class,
        e -> assertThat(e.subCode()).as(e.getMessage()).isEqualTo(subCode));
  }

  @Test
  void registeringGivesASixteenDigitAppIdAndThePlatformKey() {
    Merchant m = f.merchant("0.006");
    AppRegistration r = apps.register(m.id(), "Noodle shop", Keys.publicText(Keys.APP_A), NOTIFY,
        SignType.RSA2);

    int year = LocalDate.now(ZoneOffset.ofHours(8)).getYear();
    assertThat(r.appId()).matches("[0-9]{16}").startsWith(String.valueOf(year));
    assertThat(r.platformPublicKey()).isEqualTo(Keys.platformPublic());
    AppInfo info = apps.info(r.appId()).orElseThrow();
    assertThat(info.merchantId()).isEqualTo(m.id());
    assertThat(info.name()).isEqualTo("Noodle shop");
    assertThat(info.publicKey()).isEqualTo(Keys.publicText(Keys.APP_A));
    assertThat(info.signType()).isEqualTo(SignType.RSA2);
    assertThat(info.notifyUrl()).isEqualTo(NOTIFY);
    assertThat(info.charset()).isEqualTo(ProtocolCharset.UTF_8);
    assertThat(info.status()).isEqualTo(AppStatus.ACTIVE);
    RegisteredApp app = apps.find(r.appId()).orElseThrow();
    assertThat(app.merchantId()).isEqualTo(m.id().toString());
    assertThat(app.signTypes()).containsExactly(SignType.RSA2);
    assertThat(app.publicKey()).isEqualTo(Keys.APP_A.getPublic());
    assertThat(apps.appsOf(m.id())).extracting(AppInfo::appId).containsExactly(r.appId());

    AppRegistration second = apps.register(m.id(), null, Keys.publicText(Keys.APP_A), null,
        SignType.RSA);
    assertThat(second.appId()).isNotEqualTo(r.appId());
    assertThat(apps.info(second.appId()).orElseThrow().name()).isEqualTo(m.name());
    assertThat(apps.info(second.appId()).orElseThrow().notifyUrl()).isNull();
  }

  @Test
  void unknownAppIdsAreNotFound() {
    assertThat(apps.find("2021999999999999")).isEmpty();
    assertThat(apps.find("not-an-app")).isEmpty();
    assertThat(apps.find(null)).isEmpty();
  }

  @Test
  void aKeyInPemArmourIsAccepted() {
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(Keys.APP_B.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    AppRegistration r = apps.register(f.merchant("0").id(), "x", pem, null, SignType.RSA2);
    assertThat(apps.info(r.appId()).orElseThrow().publicKey())
        .isEqualTo(Keys.publicText(Keys.APP_B));
  }

  @Test
  void thePlatformsOwnKeyIsRefused() {
    assertSubCode(() -> apps.register(f.merchant("0").id(), "x", Keys.platformPublic(), null,
        SignType.RSA2), OpenApiException.PLATFORM_KEY_REUSED);
  }

  @Test
  void malformedKeysAreRefused() throws Exception {
    UUID merchant = f.merchant("0").id();
    for (String text : new String[] {"", "not base64 !", "QUJD",
        KeyPairs.privateKeyBase64(Keys.APP_A.getPrivate()),
        "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----"}) {
      assertSubCode(() -> apps.register(merchant, "x", text, null, SignType.RSA2),
          OpenApiException.INVALID_PUBLIC_KEY);
    }
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    String ecKey = Base64.getEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded());
    assertSubCode(() -> apps.register(merchant, "x", ecKey, null, SignType.RSA2),
        OpenApiException.INVALID_PUBLIC_KEY);
  }

  @Test
  void rsa2NeedsA2048BitKeyWhileLegacyRsaMayKeep1024() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair small = generator.generateKeyPair();
    UUID merchant = f.merchant("0").id();
    assertSubCode(() -> apps.register(merchant, "x", Keys.publicText(small), null,
        SignType.RSA2), OpenApiException.INVALID_PUBLIC_KEY);
    assertThat(apps.register(merchant, "x", Keys.publicText(small), null, SignType.RSA).appId())
        .matches("[0-9]{16}");
  }

  @Test
  void theMerchantMustExistAndBeActive() {
    assertSubCode(() -> apps.register(UUID.randomUUID(), "x", Keys.publicText(Keys.APP_A), null,
        SignType.RSA2), OpenApiException.MERCHANT_NOT_FOUND);
    Merchant frozen = f.merchant("0");
    f.merchants.setStatus(frozen.id(), MerchantStatus.FROZEN);
    assertSubCode(() -> apps.register(frozen.id(), "x", Keys.publicText(Keys.APP_A), null,
        SignType.RSA2), OpenApiException.MERCHANT_FROZEN);
  }

  @Test
  void namesAreBounded() {
    UUID merchant = f.merchant("0").id();
    assertSubCode(() -> apps.register(merchant, "x".repeat(65), Keys.publicText(Keys.APP_A), null,
        SignType.RSA2), OpenApiException.INVALID_APP_NAME);
    assertSubCode(() -> apps.register(merchant, "a\u0007b", Keys.publicText(Keys.APP_A), null,
        SignType.RSA2), OpenApiException.INVALID_APP_NAME);
  }

  @Test
  void inPublicModeNotifyUrlsIntoPrivateNetworksAreRefused() {
    UUID merchant = f.merchant("0").id();
    for (String url : new String[] {"http://127.0.0.1:9/n", "http://localhost/n",
        "http://10.0.0.7/n", "http://172.16.5.5/n", "http://192.168.0.2/n", "http://[::1]/n",
        "http://[fc00::1]/n", "http://169.254.169.254/n", "http://internal.example/n"}) {
      assertSubCode(() -> apps.register(merchant, "x", Keys.publicText(Keys.APP_A), url,
          SignType.RSA2), OpenApiException.NOTIFY_URL_NOT_PUBLIC);
    }
    assertSubCode(() -> apps.register(merchant, "x", Keys.publicText(Keys.APP_A),
        "ftp://merchant.example/n", SignType.RSA2), OpenApiException.INVALID_NOTIFY_URL);
    assertThat(apps.appsOf(merchant)).isEmpty();
  }

  @Test
  void inPublicModeARequestsNotifyUrlIsCheckedTheSameWay() {
    App app = f.app(Keys.APP_A, SignType.RSA2, NOTIFY);
    DefaultAlipayClient client = f.client(app, "UTF-8");
    AlipayTradeCreateRequest request = new AlipayTradeCreateRequest();
    request.setNotifyUrl("http://10.0.0.1/steal");
    request.setBizContent(biz("out_trade_no", "ssrf-1", "total_amount", "1.00", "subject", "x"));
    var refused = OpenApiFixture.execute(client, request);
    assertFailure(refused, "40004", "ACQ.INVALID_PARAMETER");
    assertThat(refused.getSubMsg()).contains("notify_url").contains("public mode");
    assertFailure(Sdk.query(client, "ssrf-1"), "40004", "ACQ.TRADE_NOT_EXIST");

    request.setNotifyUrl("https://merchant.example/own");
    assertSuccess(OpenApiFixture.execute(client, request));
  }

  @Test
  void aSuspendedAppIsRefusedAtOnceAndServedAgainWhenReinstated() throws AlipayApiException {
    App app = f.app(Keys.APP_B, SignType.RSA2, NOTIFY);
    DefaultAlipayClient client = f.client(app, "UTF-8");
    assertSuccess(Sdk.create(client, "s-1", "1.00"));

    apps.setStatus(app.appId(), AppStatus.SUSPENDED);
    AlipayTradeQueryResponse refused = Sdk.query(client, "s-1");
    assertThat(refused.getCode()).isEqualTo("40002");
    assertThat(refused.getSubCode()).isEqualTo("isv.invalid-app-id");

    apps.setStatus(app.appId(), AppStatus.ACTIVE);
    assertSuccess(Sdk.query(client, "s-1"));
    assertSubCode(() -> apps.setStatus("2021999999999999", AppStatus.ACTIVE),
        OpenApiException.APP_NOT_FOUND);
  }

  @Test
  void anAppRegisteredWithRsa2CanNotSignWithRsa() {
    App app = f.app(Keys.APP_A, SignType.RSA2, NOTIFY);
    App asRsa = new App(app.appId(), app.keys(), SignType.RSA, app.merchant());
    AlipayTradeQueryResponse refused = Sdk.query(f.client(asRsa, "UTF-8"), "x");
    assertThat(refused.getSubCode()).isEqualTo("isv.invalid-signature-type");
    assertThat(Set.of(SignType.values())).hasSize(2);
  }
}
