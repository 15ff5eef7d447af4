package dev.hutong.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shell's API as a browser page calls it, for tests: keeps the cookies it is given, sends
 * Origin, and echoes the CSRF token unless told otherwise. Fields can be changed to forge
 * requests (another origin, no token).
 */
final class ShellClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, JsonNode json, List<String> setCookies) {
    String error() {
      return json.path("error").asText();
    }
  }

  final String baseUrl;
  final Map<String, String> cookies = new LinkedHashMap<>();
  String origin;
  String csrfToken;

  ShellClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.origin = baseUrl;
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), false);
  }

  Reply put(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .PUT(HttpRequest.BodyPublishers.noBody()), true);
  }

  Reply delete(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE(), true);
  }

  Reply post(String path, String... keysAndValues) throws Exception {
    return postKeyed(path, null, keysAndValues);
  }

  Reply postKeyed(String path, String idempotencyKey, String... keysAndValues) throws Exception {
    Map<String, String> body = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      body.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b, true);
  }

  /** POSTs any JSON body (nested objects and arrays), with an optional Idempotency-Key. */
  Reply postJson(String path, String idempotencyKey, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b, true);
  }

  Reply postRaw(String path, String contentType, byte[] body) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), true);
  }

  private Reply send(HttpRequest.Builder b, boolean changesState) throws Exception {
    if (!cookies.isEmpty()) {
      b.header("Cookie", String.join("; ", cookies.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    if (changesState && origin != null) {
      b.header("Origin", origin);
    }
    if (changesState && csrfToken != null) {
      b.header("X-CSRF-Token", csrfToken);
    }
    HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    List<String> setCookies = r.headers().allValues("Set-Cookie");
    for (String c : setCookies) {
      String pair = c.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty()) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    JsonNode json = parse(r.body());
    if (json.hasNonNull("csrf_token")) {
      csrfToken = json.path("csrf_token").asText();
    }
    return new Reply(r.statusCode(), json, setCookies);
  }

  private static JsonNode parse(String body) throws IOException {
    return body.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
  }
}
