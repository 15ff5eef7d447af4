package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayRequest;
import com.alipay.api.AlipayResponse;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.FileItem;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipayOpenAppQrcodeCreateRequest;
import com.alipay.api.request.AlipayOpenMiniVersionAuditApplyRequest;
import com.alipay.api.request.AlipayOpenMiniVersionAuditCancelRequest;
import com.alipay.api.request.AlipayOpenMiniVersionDetailQueryRequest;
import com.alipay.api.request.AlipayOpenMiniVersionGrayCancelRequest;
import com.alipay.api.request.AlipayOpenMiniVersionGrayOnlineRequest;
import com.alipay.api.request.AlipayOpenMiniVersionListQueryRequest;
import com.alipay.api.request.AlipayOpenMiniVersionOfflineRequest;
import com.alipay.api.request.AlipayOpenMiniVersionOnlineRequest;
import com.alipay.api.request.AlipayOpenMiniVersionRollbackRequest;
import com.alipay.api.request.AlipayOpenMiniVersionUploadRequest;
import com.alipay.api.response.AlipayOpenAppQrcodeCreateResponse;
import com.alipay.api.response.AlipayOpenMiniVersionDetailQueryResponse;
import com.alipay.api.response.AlipayOpenMiniVersionListQueryResponse;
import com.alipay.api.response.AlipayOpenMiniVersionUploadResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.db.TestDatabases;
import dev.hutong.openapi.gateway.KeyPairs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alipay.open.mini.* methods and alipay.open.app.qrcode.create through the real server with
 * the official SDK: a template instance made and released by upload, gray and online; an app's
 * own package through audit.apply (multipart, with a screenshot), cancel, review, online,
 * rollback, offline; the queries; and the refusals.
 */
@Tag("db")
class MiniMethodsSdkTest {
  /** A 1x1 PNG. */
  private static final byte[] PNG = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"
      + "CAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

  @TempDir static Path data;
  private static HutongServer server;
  private static AdminApi admin;
  private static String merchant;

  @BeforeAll
  static void start() throws Exception {
    AlipayLogger.setNeedEnableLogger(false);
    server = HutongServer.start(new ServerConfig(0, data,
        Optional.of(TestDatabases.createDatabase("mini_sdk")), false, Optional.empty(), 1.0));
    admin = new AdminApi(server.port(), data);
    merchant = admin.merchant("Noodle Bar", "0.006");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aTemplateInstanceIsMadeGrayedAndReleasedThroughTheGateway() throws Exception {
    // The template, approved once by the operator.
    String templateOwner = admin.merchant("Template House", "0");
    admin.post("/admin/miniapps", "merchant_id", templateOwner, "app_id", "shoptpl", "kind",
        "TEMPLATE", "name", "Shop Template", "category", "food");
    upload("shoptpl", "1.0.0", MiniappPackages.template("t1"));
    admin.post(version("shoptpl", "1.0.0") + "/submit", "description", "t", "category", "food");
    admin.post(version("shoptpl", "1.0.0") + "/approve");

    AlipayClient sdk = client(newApp());
    AlipayOpenMiniVersionUploadRequest upload = new AlipayOpenMiniVersionUploadRequest();
    upload.setBizContent("{\"template_id\":\"shoptpl\",\"template_version\":\"1.0.0\","
        + "\"app_version\":\"0.1.0\",\"ext\":\"{\\\"shopName\\\":\\\"Noodle Bar\\\"}\"}");
    AlipayOpenMiniVersionUploadResponse uploaded = sdk.execute(upload);
    assertThat(uploaded.isSuccess()).as(uploaded.getBody()).isTrue();
    assertThat(uploaded.getVersionCreated()).isEqualTo("true");
    // The same call again (a retry) creates nothing.
    assertThat(sdk.execute(upload).getVersionCreated()).isEqualTo("false");

    assertThat(detail(sdk, "0.1.0").getStatus()).isEqualTo("WAIT_RELEASE");
    AlipayOpenMiniVersionGrayOnlineRequest gray = new AlipayOpenMiniVersionGrayOnlineRequest();
    gray.setBizContent("{\"app_version\":\"0.1.0\",\"gray_strategy\":\"p10\"}");
    ok(sdk, gray);
    AlipayOpenMiniVersionDetailQueryResponse grayed = detail(sdk, "0.1.0");
    assertThat(grayed.getStatus()).isEqualTo("GRAY");
    assertThat(grayed.getGrayStrategy()).isEqualTo("p10");
    gray.setBizContent("{\"app_version\":\"0.1.0\",\"gray_strategy\":\"p50\"}");
    ok(sdk, gray);
    assertThat(detail(sdk, "0.1.0").getGrayStrategy()).isEqualTo("p50");
    AlipayOpenMiniVersionGrayCancelRequest cancel = new AlipayOpenMiniVersionGrayCancelRequest();
    cancel.setBizContent("{\"app_version\":\"0.1.0\"}");
    ok(sdk, cancel);
    assertThat(detail(sdk, "0.1.0").getStatus()).isEqualTo("WAIT_RELEASE");

    AlipayOpenMiniVersionOnlineRequest online = new AlipayOpenMiniVersionOnlineRequest();
    online.setBizContent("{\"app_version\":\"0.1.0\"}");
    ok(sdk, online);
    ok(sdk, online); // a retry of a release already done
    assertThat(detail(sdk, "0.1.0").getStatus()).isEqualTo("RELEASE");

    // An ext the template's schema refuses: every violation named, nothing created.
    upload.setBizContent("{\"template_id\":\"shoptpl\",\"template_version\":\"1.0.0\","
        + "\"app_version\":\"0.2.0\",\"ext\":\"{\\\"tables\\\":0}\"}");
    AlipayOpenMiniVersionUploadResponse refused = sdk.execute(upload);
    assertThat(refused.isSuccess()).isFalse();
    assertThat(refused.getSubCode()).isEqualTo("MINI.EXT_INVALID");
    assertThat(refused.getSubMsg()).contains("shopName", "/tables");

    AlipayOpenMiniVersionListQueryRequest list = new AlipayOpenMiniVersionListQueryRequest();
    list.setBizContent("{}");
    AlipayOpenMiniVersionListQueryResponse listed = sdk.execute(list);
    assertThat(listed.isSuccess()).as(listed.getBody()).isTrue();
    assertThat(listed.getAppVersions()).containsExactly("0.1.0");
    assertThat(listed.getAppVersionInfos().get(0).getVersionStatus()).isEqualTo("RELEASE");
  }

  @Test
  void anAppsOwnPackageGoesThroughAuditOnlineRollbackAndOffline() throws Exception {
    AdminApi.App app = newApp();
    AlipayClient sdk = client(app);
    admin.post("/admin/miniapps", "merchant_id", merchant, "app_id", app.appId(), "name",
        "Noodle Bar", "category", "food");
    upload(app.appId(), "1.0.0", MiniappPackages.hello("one"));

    AlipayOpenMiniVersionAuditApplyRequest apply = auditApply("1.0.0");
    ok(sdk, apply);
    assertThat(detail(sdk, "1.0.0").getStatus()).isEqualTo("AUDITING");
    AlipayOpenMiniVersionDetailQueryResponse auditing = detail(sdk, "1.0.0");
    assertThat(auditing.getVersionDesc()).isEqualTo("first version: 面条");
    assertThat(auditing.getScreenShotList()).hasSize(1).allMatch(s -> s.startsWith("sha256:"));
    JsonNode pending = admin.get("/admin/review?limit=100").path("pending");
    assertThat(pending.toString()).contains(app.appId());

    AlipayOpenMiniVersionAuditCancelRequest cancel = new AlipayOpenMiniVersionAuditCancelRequest();
    cancel.setBizContent("{\"app_version\":\"1.0.0\"}");
    ok(sdk, cancel);
    assertThat(detail(sdk, "1.0.0").getStatus()).isEqualTo("INIT");
    ok(sdk, auditApply("1.0.0"));
    admin.post(version(app.appId(), "1.0.0") + "/approve");
    release(sdk, "1.0.0");

    upload(app.appId(), "1.1.0", MiniappPackages.hello("two"));
    ok(sdk, auditApply("1.1.0"));
    admin.post(version(app.appId(), "1.1.0") + "/approve");
    release(sdk, "1.1.0");
    AlipayOpenMiniVersionRollbackRequest rollback = new AlipayOpenMiniVersionRollbackRequest();
    rollback.setBizContent("{\"app_version\":\"1.1.0\"}");
    ok(sdk, rollback);
    assertThat(detail(sdk, "1.0.0").getStatus()).isEqualTo("RELEASE");
    assertThat(detail(sdk, "1.1.0").getStatus()).isEqualTo("OFFLINE");

    AlipayOpenAppQrcodeCreateRequest qr = new AlipayOpenAppQrcodeCreateRequest();
    qr.setBizContent("{\"url_param\":\"pages/index/index\",\"query_param\":\"table=7\","
        + "\"describe\":\"table 7\"}");
    AlipayOpenAppQrcodeCreateResponse code = sdk.execute(qr);
    assertThat(code.isSuccess()).as(code.getBody()).isTrue();
    assertThat(code.getQrCodeUrl()).isEqualTo("http://127.0.0.1:" + server.port() + "/launch/"
        + app.appId() + "/qr.png?page=pages/index/index&query=table%3D7");
    HttpResponse<byte[]> png = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(code.getQrCodeUrl())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);

    AlipayOpenMiniVersionOfflineRequest offline = new AlipayOpenMiniVersionOfflineRequest();
    offline.setBizContent("{\"app_version\":\"1.0.0\"}");
    ok(sdk, offline);
    assertThat(detail(sdk, "1.0.0").getStatus()).isEqualTo("OFFLINE");

    // Refusals: a step the lifecycle forbids, a version that does not exist, a bad strategy.
    AlipayOpenMiniVersionOnlineRequest again = new AlipayOpenMiniVersionOnlineRequest();
    again.setBizContent("{\"app_version\":\"1.0.0\"}");
    AlipayResponse forbidden = sdk.execute(again);
    assertThat(forbidden.getSubCode()).isEqualTo("MINI.TRANSITION_FORBIDDEN");
    AlipayOpenMiniVersionDetailQueryRequest missing = new AlipayOpenMiniVersionDetailQueryRequest();
    missing.setBizContent("{\"app_version\":\"9.9.9\"}");
    assertThat(sdk.execute(missing).getSubCode()).isEqualTo("MINI.VERSION_NOT_FOUND");
    AlipayOpenMiniVersionGrayOnlineRequest gray = new AlipayOpenMiniVersionGrayOnlineRequest();
    gray.setBizContent("{\"app_version\":\"1.1.0\",\"gray_strategy\":\"p100\"}");
    assertThat(sdk.execute(gray).getSubCode()).isEqualTo("MINI.INVALID_ARGUMENT");
  }

  @Test
  void anAppWithoutAMiniProgramIsToldHowToGetOne() throws Exception {
    AlipayClient sdk = client(newApp());
    AlipayOpenMiniVersionListQueryRequest list = new AlipayOpenMiniVersionListQueryRequest();
    list.setBizContent("{}");
    AlipayOpenMiniVersionListQueryResponse answer = sdk.execute(list);
    assertThat(answer.getSubCode()).isEqualTo("MINI.APP_NOT_FOUND");
    assertThat(answer.getSubMsg()).contains("alipay.open.mini.version.upload");
  }

  @Test
  void aMalformedMultipartBodyIsRefusedInTheProtocol() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/gateway.do"))
        .header("Content-Type", "multipart/form-data;boundary=xyz")
        .POST(HttpRequest.BodyPublishers.ofString("\r\n--xyz\r\nContent-Disposition:form-data"
            + ";name=\"a\"\r\n\r\nno end")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("isv.invalid-parameter", "closing delimiter");
  }

  // ------------------------------------------------------------------ helpers

  private static AlipayOpenMiniVersionAuditApplyRequest auditApply(String version) {
    AlipayOpenMiniVersionAuditApplyRequest apply = new AlipayOpenMiniVersionAuditApplyRequest();
    apply.setAppVersion(version);
    apply.setVersionDesc("first version: 面条");
    apply.setMiniCategoryIds("food");
    apply.setFirstScreenShot(new FileItem("home.png", PNG, "image/png"));
    return apply;
  }

  private static void release(AlipayClient sdk, String version) throws Exception {
    AlipayOpenMiniVersionOnlineRequest online = new AlipayOpenMiniVersionOnlineRequest();
    online.setBizContent("{\"app_version\":\"" + version + "\"}");
    ok(sdk, online);
  }

  private static AlipayOpenMiniVersionDetailQueryResponse detail(AlipayClient sdk, String version)
      throws Exception {
    AlipayOpenMiniVersionDetailQueryRequest detail = new AlipayOpenMiniVersionDetailQueryRequest();
    detail.setBizContent("{\"app_version\":\"" + version + "\"}");
    AlipayOpenMiniVersionDetailQueryResponse r = sdk.execute(detail);
    assertThat(r.isSuccess()).as(r.getBody()).isTrue();
    return r;
  }

  private static <T extends AlipayResponse> void ok(AlipayClient sdk, AlipayRequest<T> request)
      throws Exception {
    T r = sdk.execute(request);
    assertThat(r.isSuccess()).as(r.getBody()).isTrue();
  }

  private static final java.util.Map<String, KeyPair> KEYS = new java.util.HashMap<>();

  private static AdminApi.App newApp() throws Exception {
    KeyPair pair = KeyPairs.generateRsa2048();
    AdminApi.App app = admin.app(merchant, KeyPairs.publicKeyBase64(pair.getPublic()), null);
    KEYS.put(app.appId(), pair);
    return app;
  }

  private static AlipayClient client(AdminApi.App app) {
    return new DefaultAlipayClient("http://127.0.0.1:" + server.port() + "/gateway.do",
        app.appId(), KeyPairs.privateKeyBase64(KEYS.get(app.appId()).getPrivate()), "json",
        "UTF-8", app.platformPublicKey(), "RSA2");
  }

  private static String version(String appId, String version) {
    return "/admin/miniapps/" + appId + "/versions/" + version;
  }

  private static void upload(String appId, String version, byte[] zip) throws Exception {
    String token = Files.readString(data.resolve(OperatorToken.FILE_NAME)).trim();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + server.port() + version(appId, version) + "/package"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
        .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(zip)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }
}
