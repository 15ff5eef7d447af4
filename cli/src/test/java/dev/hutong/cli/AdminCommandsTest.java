package dev.hutong.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.alipay.api.response.AlipayTradePrecreateResponse;
import dev.hutong.db.TestDatabases;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.server.HutongServer;
import dev.hutong.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hutong admin ...} run in-process against a real server on a fresh test database. */
class AdminCommandsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir static Path data;
  private static HutongServer server;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() {
    AlipayLogger.setNeedEnableLogger(false);
    server = HutongServer.start(new ServerConfig(0, data,
        Optional.of(TestDatabases.createDatabase("admin_cli")), false));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs the command with --server and --data-dir of the test server appended. */
  private int admin(String... args) {
    List<String> all = new ArrayList<>(List.of("admin"));
    all.addAll(List.of(args));
    all.addAll(List.of("--server", "http://127.0.0.1:" + server.port(),
        "--data-dir", data.toString()));
    return raw(all.toArray(String[]::new));
  }

  private int raw(String... args) {
    out.getBuffer().setLength(0);
    CommandLine hutong = Main.commandLine(Map.of());
    hutong.setOut(new PrintWriter(out, true));
    hutong.setErr(new PrintWriter(err, true));
    return hutong.execute(args);
  }

  /** The one JSON object the command printed. */
  private JsonNode json() throws Exception {
    String printed = out.toString();
    assertThat(printed.lines().count()).as("one line: " + printed).isEqualTo(1);
    return MAPPER.readTree(printed);
  }

  private String ok(String field, String... args) throws Exception {
    assertThat(admin(args)).as(out + " " + err).isZero();
    return json().path(field).asText();
  }

  private JsonNode failure(int exitCode, String... args) throws Exception {
    assertThat(admin(args)).as(out.toString()).isEqualTo(exitCode);
    JsonNode error = json();
    assertThat(error.path("error").asText()).isNotBlank();
    return error;
  }

  @Test
  void theOperatorTokenIsWrittenOwnerOnly() throws Exception {
    Path token = data.resolve("operator.token");
    assertThat(server.operatorTokenFile()).isEqualTo(token.toAbsolutePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(token).trim()).matches("[A-Za-z0-9_-]{43}");
    assertThat(server.banner()).anyMatch(line -> line.contains(token.toAbsolutePath().toString()));
  }

  @Test
  void miniappInstallFromADirectory(@TempDir Path dir) throws Exception {
    String merchant = ok("merchant_id", "merchant", "create", "--name", "Tea Corner");
    Path key = dir.resolve("app.txt");
    Files.writeString(key, KeyPairs.publicKeyBase64(KeyPairs.generateRsa2048().getPublic()));
    String appId = ok("app_id", "app", "create", "--merchant", merchant, "--public-key-file",
        key.toString());
    Path app = Files.createDirectories(dir.resolve("tea"));
    Files.createDirectories(app.resolve("pages/index"));
    Files.writeString(app.resolve("app.json"), "{\"pages\":[\"pages/index/index\"],"
        + "\"window\":{\"defaultTitle\":\"Tea Corner\"}}");
    Files.writeString(app.resolve("pages/index/index.html"), "<!doctype html><p>tea</p>");
    // Editor and VCS clutter is left out (the validator would refuse hidden files).
    Files.createDirectories(app.resolve(".git"));
    Files.writeString(app.resolve(".git/HEAD"), "ref: refs/heads/main");
    Files.writeString(app.resolve(".DS_Store"), "x");

    assertThat(admin("miniapp", "install", "--dir", app.toString(), "--app", appId))
        .as(out.toString()).isZero();
    JsonNode installed = json();
    assertThat(installed.path("version").asText()).isEqualTo("1.0.0");
    assertThat(installed.path("state").asText()).isEqualTo("ONLINE");
    assertThat(installed.path("changed").asBoolean()).isTrue();
    assertThat(ok("changed", "miniapp", "install", "--dir", app.toString(), "--app", appId))
        .isEqualTo("false");

    Files.writeString(app.resolve("pages/index/index.html"), "<!doctype html><p>more tea</p>");
    assertThat(ok("version", "miniapp", "install", "--dir", app.toString(), "--app", appId))
        .isEqualTo("1.0.1");
    Files.writeString(app.resolve("tool.exe"), "MZ");
    assertThat(failure(1, "miniapp", "install", "--dir", app.toString(), "--app", appId)
        .path("sub_code").asText()).isEqualTo("MINIAPP.PACKAGE_INVALID");
    assertThat(failure(1, "miniapp", "install", "--dir", dir.toString(), "--app", appId)
        .path("error").asText()).contains("no app.json");
  }

  @Test
  void merchantsAppsUsersBalancesAndCodes(@TempDir Path keys) throws Exception {
    String merchant = ok("merchant_id", "merchant", "create", "--name", "Noodle Bar",
        "--category", "food", "--fee-rate", "0.006");
    assertThat(merchant).hasSize(36);

    KeyPair appKeys = KeyPairs.generateRsa2048();
    Path pem = keys.resolve("app.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + KeyPairs.publicKeyBase64(appKeys.getPublic()).replaceAll("(.{64})", "$1\n")
        + "\n-----END PUBLIC KEY-----\n");
    assertThat(admin("app", "create", "--merchant", merchant, "--public-key-file", pem.toString(),
        "--notify-url", "http://127.0.0.1:9/notify")).as(out.toString()).isZero();
    JsonNode app = json();
    String appId = app.path("app_id").asText();
    assertThat(appId).isNotBlank();
    assertThat(KeyPairs.parsePublicKey(app.path("platform_public_key").asText())).isNotNull();
    Path bare = keys.resolve("app.txt");
    Files.writeString(bare, KeyPairs.publicKeyBase64(KeyPairs.generateRsa2048().getPublic()));
    assertThat(ok("app_id", "app", "create", "--merchant", merchant, "--public-key-file",
        bare.toString(), "--name", "Second")).isNotEqualTo(appId);

    String user = ok("user_id", "user", "create", "--phone", "13800000001", "--password",
        "secret-pw", "--pin", "246810", "--top-up", "100.00");
    // The same request again is the same user, topped up once.
    assertThat(ok("user_id", "user", "create", "--phone", "13800000001", "--password",
        "secret-pw", "--pin", "246810", "--top-up", "100.00")).isEqualTo(user);
    assertThat(ok("balance", "balance", "--user", user)).isEqualTo("100.00");

    assertThat(ok("auth_code", "user", "payment-code", "--user", user)).matches("28[0-9]{16}");
    String openId = ok("open_id", "user", "open-id", "--user", user, "--app", appId);
    assertThat(ok("open_id", "user", "open-id", "--user", user, "--app", appId))
        .isEqualTo(openId);
    assertThat(ok("auth_code", "oauth", "code", "--user", user, "--app", appId,
        "--scopes", "auth_user")).isNotBlank();
    assertThat(failure(1, "oauth", "code", "--user", user, "--app", appId, "--scopes",
        "everything").path("sub_code").asText()).isEqualTo("INVALID_SCOPE");
    assertThat(failure(1, "user", "open-id", "--user", user, "--app", "2099000000000000")
        .path("sub_code").asText()).isEqualTo("APP_NOT_FOUND");

    // The cashier pays a trade made by alipay.trade.create, and one behind a precreate QR code.
    DefaultAlipayClient sdk = new DefaultAlipayClient("http://127.0.0.1:" + server.port()
        + "/gateway.do", appId, KeyPairs.privateKeyBase64(appKeys.getPrivate()), "json",
        "UTF-8", app.path("platform_public_key").asText(), "RSA2");
    AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
    create.setBizContent("{\"out_trade_no\":\"cli-1\",\"total_amount\":\"10.00\","
        + "\"subject\":\"Noodles\",\"buyer_id\":\"" + user + "\"}");
    String tradeNo = sdk.execute(create).getTradeNo();
    assertThat(failure(1, "cashier", "pay", "--trade-no", tradeNo, "--user", user, "--pin",
        "000000").path("sub_code").asText()).isEqualTo("CASHIER.PIN_WRONG");
    assertThat(admin("cashier", "pay", "--trade-no", tradeNo, "--user", user, "--pin",
        "246810")).as(out.toString()).isZero();
    assertThat(json().toString())
        .isEqualTo("{\"result_code\":\"9000\",\"trade_no\":\"" + tradeNo + "\"}");
    AlipayTradePrecreateRequest precreate = new AlipayTradePrecreateRequest();
    precreate.setBizContent("{\"out_trade_no\":\"cli-2\",\"total_amount\":\"0.50\","
        + "\"subject\":\"Tea\"}");
    AlipayTradePrecreateResponse qr = sdk.execute(precreate);
    assertThat(qr.isSuccess()).as(qr.getBody()).isTrue();
    assertThat(ok("result_code", "cashier", "pay", "--qr-code", qr.getQrCode(), "--user", user,
        "--pin", "246810")).isEqualTo("9000");
    assertThat(ok("balance", "balance", "--user", user)).isEqualTo("89.50");
    assertThat(admin("balance", "--merchant", merchant)).isZero();
    // 10.50 paid, fees 0.06 (10.00) + 0.00 (0.50 at 0.6% rounds to 0.00).
    assertThat(json().toString()).isEqualTo("{\"balance\":\"10.44\",\"pending\":\"0.00\"}");
  }

  @Test
  void refusalsAreOneJsonObjectWithASubCode(@TempDir Path elsewhere) throws Exception {
    String unknown = "0190a5c4-1d2e-7f00-8000-00000000abcd";
    assertThat(failure(1, "balance", "--user", unknown).path("sub_code").asText())
        .isEqualTo("IDENTITY.USER_NOT_FOUND");
    assertThat(failure(1, "cashier", "pay", "--trade-no", "2024000000000000000000001",
        "--user", unknown, "--pin", "123456").path("sub_code").asText())
        .isEqualTo("ACQ.TRADE_NOT_EXIST");
    assertThat(failure(1, "merchant", "create", "--name", "Bad", "--fee-rate", "1.5")
        .path("sub_code").asText()).isEqualTo("ADMIN.INVALID_FIELD");
    assertThat(failure(1, "user", "create", "--phone", "123", "--password", "secret-pw",
        "--pin", "123456").path("sub_code").asText()).isEqualTo("IDENTITY.INVALID_PHONE");
    assertThat(failure(1, "user", "create", "--phone", "13800000002", "--password", "secret-pw",
        "--pin", "123456", "--top-up", "1.001").path("sub_code").asText())
        .isEqualTo("ADMIN.INVALID_FIELD");
    assertThat(failure(1, "balance", "--user", "not-an-id").path("sub_code").asText())
        .isEqualTo("CLI.USAGE");
    assertThat(failure(1, "app", "create", "--merchant", unknown, "--public-key-file",
        elsewhere.resolve("missing.pem").toString()).path("sub_code").asText())
        .isEqualTo("CLI.BAD_FILE");
    // Usage errors are JSON on stdout too, with picocli's exit code for them.
    assertThat(failure(2, "balance").path("sub_code").asText()).isEqualTo("CLI.USAGE");
    assertThat(failure(2, "cashier", "pay", "--trade-no", "t", "--qr-code", "q", "--user",
        unknown, "--pin", "123456").path("sub_code").asText()).isEqualTo("CLI.USAGE");

    // No token where --data-dir points, or nothing listening at --server.
    assertThat(raw("admin", "balance", "--user", unknown, "--data-dir", elsewhere.toString()))
        .isEqualTo(1);
    assertThat(json().path("sub_code").asText()).isEqualTo("CLI.NO_TOKEN");
    assertThat(raw("admin", "balance", "--user", unknown, "--data-dir", data.toString(),
        "--server", "http://127.0.0.1:1")).isEqualTo(1);
    assertThat(json().path("sub_code").asText()).isEqualTo("CLI.SERVER_UNREACHABLE");
  }

  @Test
  void theAdminApiRefusesRequestsWithoutTheToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/admin/merchants");
    HttpRequest.Builder post = HttpRequest.newBuilder(uri).header("Content-Type",
        "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"));
    HttpResponse<String> none = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(MAPPER.readTree(none.body()).path("sub_code").asText())
        .isEqualTo("ADMIN.UNAUTHORIZED");
    HttpResponse<String> wrong = http.send(post.header("Authorization", "Bearer nope").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);

    String token = Files.readString(data.resolve("operator.token")).trim();
    HttpResponse<String> unknownField = http.send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"nmae\":\"y\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(unknownField.body()).path("sub_code").asText())
        .isEqualTo("ADMIN.UNKNOWN_FIELD");
    HttpResponse<String> huge = http.send(HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(70_000) + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(MAPPER.readTree(huge.body()).path("sub_code").asText())
        .isEqualTo("ADMIN.BODY_TOO_LARGE");
  }
}
