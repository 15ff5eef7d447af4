package dev.hutong.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for tests: GET a path on a local port. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Response(int status, String contentType, String body) {
    JsonNode json() throws IOException {
      return MAPPER.readTree(body);
    }
  }

  private Http() {}

  static Response get(int port, String path) throws IOException, InterruptedException {
    return send(port, HttpRequest.newBuilder(uri(port, path)).GET());
  }

  static Response send(int port, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
