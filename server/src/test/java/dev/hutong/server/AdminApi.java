package dev.hutong.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The admin API over HTTP, as the CLI calls it, for tests in this module. */
final class AdminApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  record App(String appId, String platformPublicKey) {}

  private final String baseUrl;
  private final String token;

  AdminApi(int port, Path dataDirectory) throws IOException {
    this.baseUrl = "http://127.0.0.1:" + port;
    this.token = Files.readString(dataDirectory.resolve(OperatorToken.FILE_NAME)).trim();
  }

  String merchant(String name, String feeRate) throws Exception {
    return post("/admin/merchants", "name", name, "fee_rate", feeRate).path("merchant_id")
        .asText();
  }

  App app(String merchantId, String publicKey, String notifyUrl) throws Exception {
    JsonNode app = post("/admin/apps", "merchant_id", merchantId, "public_key", publicKey,
        "notify_url", notifyUrl);
    return new App(app.path("app_id").asText(), app.path("platform_public_key").asText());
  }

  String user(String phone, String pin, String topUp) throws Exception {
    return post("/admin/users", "phone", phone, "password", "password-" + phone, "pin", pin,
        "top_up", topUp).path("user_id").asText();
  }

  String paymentCode(String userId) throws Exception {
    return post("/admin/users/" + userId + "/payment-codes").path("auth_code").asText();
  }

  JsonNode cashierPay(String tradeNo, String userId, String pin) throws Exception {
    return post("/admin/cashier/pay", "trade_no", tradeNo, "user_id", userId, "pin", pin);
  }

  String userBalance(String userId) throws Exception {
    return get("/admin/users/" + userId + "/balance").path("balance").asText();
  }

  JsonNode merchantBalance(String merchantId) throws Exception {
    return get("/admin/merchants/" + merchantId + "/balance");
  }

  JsonNode post(String path, String... keysAndValues) throws Exception {
    Map<String, String> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        body.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body))));
  }

  JsonNode get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  private JsonNode send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = MAPPER.readTree(response.body());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("admin " + response.statusCode() + ": " + body);
    }
    return body;
  }
}
