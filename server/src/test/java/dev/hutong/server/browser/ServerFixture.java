package dev.hutong.server.browser;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipayLogger;
import com.alipay.api.request.AlipayTradePayRequest;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.response.AlipayTradePayResponse;
import com.alipay.api.response.AlipayTradePrecreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.db.TestDatabases;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.server.HutongServer;
import dev.hutong.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real Hutong server for browser and API tests: the whole {@link HutongServer} on a random port,
 * on a fresh database of the test PostgreSQL, with a temporary data directory. Also the operator
 * (admin API) and merchants that talk to the gateway through the official Alipay SDK, so a test
 * can set up trades exactly as production clients would.
 *
 * <pre>
 * try (ServerFixture server = ServerFixture.start("shell")) {
 *   ServerFixture.Merchant shop = server.merchant("Noodle Bar");
 *   String qr = shop.precreate("order-1", "12.34", "Noodles");
 * }
 * </pre>
 */
public final class ServerFixture implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final HutongServer server;
  private final Path dataDirectory;

  private ServerFixture(HutongServer server, Path dataDirectory) {
    this.server = server;
    this.dataDirectory = dataDirectory;
  }

  /** Starts a server on a new database named after {@code purpose}. */
  public static ServerFixture start(String purpose) {
    AlipayLogger.setNeedEnableLogger(false);
    try {
      Path data = Files.createTempDirectory("hutong-" + purpose + "-");
      String databaseUrl = TestDatabases.createDatabase(purpose);
      HutongServer server = HutongServer.start(new ServerConfig(0, data,
          Optional.of(databaseUrl), false, Optional.empty(), 0.001));
      return new ServerFixture(server, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HutongServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The operator's admin API: POST a JSON object of strings; throws on a non-2xx answer. */
  public JsonNode admin(String path, String... keysAndValues) {
    Map<String, String> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    try {
      String token = Files.readString(server.operatorTokenFile()).trim();
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = MAPPER.readTree(r.body());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("admin " + path + " answered " + r.statusCode() + ": "
            + json);
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Installs the template package {@code name} (templates/NAME) as the approved template app
   * "tpl-NAME" through the admin API, so merchants are offered it; returns its app id.
   */
  public String template(String name) {
    String owner = admin("/admin/merchants", "name", "Templates " + name, "fee_rate", "0.006")
        .path("merchant_id").asText();
    String appId = "tpl-" + name;
    admin("/admin/miniapps", "merchant_id", owner, "app_id", appId, "kind", "TEMPLATE", "name",
        Character.toUpperCase(name.charAt(0)) + name.substring(1) + " template", "category",
        "services");
    String version = "/admin/miniapps/" + appId + "/versions/1.0.0";
    try {
      String token = Files.readString(server.operatorTokenFile()).trim();
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + version
              + "/package")).header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/zip")
          .PUT(HttpRequest.BodyPublishers.ofByteArray(
              dev.hutong.server.TemplatePackages.zip(name)))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("template upload answered " + r.statusCode() + ": "
            + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    admin(version + "/submit", "description", name + " template", "category", "services");
    admin(version + "/approve");
    return appId;
  }

  /** A new merchant with an app registered on the gateway (RSA2 keys made here). */
  public Merchant merchant(String name) {
    String merchantId = admin("/admin/merchants", "name", name, "fee_rate", "0.006")
        .path("merchant_id").asText();
    KeyPair keys = KeyPairs.generateRsa2048();
    JsonNode app = admin("/admin/apps", "merchant_id", merchantId, "public_key",
        KeyPairs.publicKeyBase64(keys.getPublic()));
    DefaultAlipayClient sdk = new DefaultAlipayClient(baseUrl() + "/gateway.do",
        app.path("app_id").asText(), KeyPairs.privateKeyBase64(keys.getPrivate()), "json",
        "UTF-8", app.path("platform_public_key").asText(), "RSA2");
    return new Merchant(merchantId, app.path("app_id").asText(), sdk);
  }

  /** A merchant's back end, calling the gateway with the official SDK. */
  public record Merchant(String merchantId, String appId, DefaultAlipayClient sdk) {
    /** alipay.trade.precreate; returns the trade's qr_code. */
    public String precreate(String outTradeNo, String amount, String subject)
        throws AlipayApiException {
      AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
      request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\",\"total_amount\":\""
          + amount + "\",\"subject\":\"" + subject + "\"}");
      AlipayTradePrecreateResponse response = sdk.execute(request);
      if (!response.isSuccess()) {
        throw new IllegalStateException("precreate failed: " + response.getBody());
      }
      return response.getQrCode();
    }

    /** alipay.trade.pay with a payment code the user showed (scene bar_code). */
    public AlipayTradePayResponse payWithCode(String outTradeNo, String authCode, String amount,
        String subject) throws AlipayApiException {
      AlipayTradePayRequest request = new AlipayTradePayRequest();
      request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\",\"scene\":\"bar_code\","
          + "\"auth_code\":\"" + authCode + "\",\"total_amount\":\"" + amount
          + "\",\"subject\":\"" + subject + "\"}");
      return sdk.execute(request);
    }

    /** alipay.trade.query's trade_status. */
    public String status(String outTradeNo) throws AlipayApiException {
      AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
      request.setBizContent("{\"out_trade_no\":\"" + outTradeNo + "\"}");
      AlipayTradeQueryResponse response = sdk.execute(request);
      return response.getTradeStatus();
    }
  }

  /** The server's data directory (lock, platform key, operator token); deleted on close. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() {
    server.close();
    try (var files = Files.walk(dataDirectory)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dataDirectory, e);
    }
  }
}
