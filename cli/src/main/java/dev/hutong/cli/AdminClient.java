package dev.hutong.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Talks to a running server's admin API: reads the operator token from the data directory, sends
 * one JSON request, and returns the JSON object the server answered, or throws
 * {@link AdminFailure} with the server's (or its own) error and sub_code.
 */
final class AdminClient {
  static final String TOKEN_FILE = "operator.token";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Creating a user hashes a password and a PIN with bcrypt: allow for a slow machine. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** Longer answers are not the admin API's. */
  private static final int RESPONSE_BYTES_MAX = 1 << 20;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI server;
  private final String token;
  private final HttpClient http;

  private AdminClient(URI server, String token) {
    this.server = server;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** A client for the server at {@code serverUrl}, with the token of {@code dataDirectory}. */
  static AdminClient connect(String serverUrl, Path dataDirectory) {
    return new AdminClient(serverUri(serverUrl), readToken(dataDirectory));
  }

  static URI serverUri(String serverUrl) {
    String trimmed = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1)
        : serverUrl;
    if (!trimmed.matches("https?://[^/?#\\s]+")) {
      throw new AdminFailure("--server must be the server's base URL, like http://127.0.0.1:8080,"
          + " got '" + serverUrl + "'", "CLI.USAGE");
    }
    return URI.create(trimmed);
  }

  private static String readToken(Path dataDirectory) {
    Path file = dataDirectory.resolve(TOKEN_FILE).toAbsolutePath().normalize();
    try {
      String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (token.isEmpty()) {
        throw new AdminFailure(file + " is empty; restart the server to write a new token",
            "CLI.NO_TOKEN");
      }
      return token;
    } catch (NoSuchFileException e) {
      throw new AdminFailure("no operator token at " + file + "; start the server first "
          + "(./hutong start), and give admin commands the same --data-dir as the server",
          "CLI.NO_TOKEN");
    } catch (IOException e) {
      throw new AdminFailure("cannot read the operator token " + file + ": " + e.getMessage()
          + " (it is readable by the user who started the server only)", "CLI.NO_TOKEN");
    }
  }

  ObjectNode get(String path) {
    return send(HttpRequest.newBuilder(server.resolve(path)).GET());
  }

  ObjectNode post(String path, Map<String, String> body) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a map of strings as JSON", e);
    }
    return send(HttpRequest.newBuilder(server.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
  }

  /** POSTs raw bytes (a package zip) with their content type. */
  ObjectNode postBytes(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(server.resolve(path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private ObjectNode send(HttpRequest.Builder request) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.header("Authorization", "Bearer " + token)
          .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new AdminFailure("cannot reach the Hutong server at " + server + " (connection "
          + "refused); is it running? Start it with ./hutong start, or pass --server",
          "CLI.SERVER_UNREACHABLE");
    } catch (HttpTimeoutException e) {
      throw new AdminFailure("the Hutong server at " + server + " did not answer in time ("
          + e.getMessage() + ")", "CLI.SERVER_UNREACHABLE");
    } catch (IOException e) {
      throw new AdminFailure("cannot talk to the Hutong server at " + server + ": " + e,
          "CLI.SERVER_UNREACHABLE");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdminFailure("interrupted", "CLI.INTERRUPTED");
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() / 100 == 2 && body instanceof ObjectNode object) {
      return object;
    }
    if (body instanceof ObjectNode object && object.path("error").isTextual()) {
      throw new AdminFailure(object.path("error").asText(),
          object.path("sub_code").isTextual() ? object.path("sub_code").asText() : null);
    }
    throw new AdminFailure("unexpected answer from " + server + " (HTTP "
        + response.statusCode() + "); is that a Hutong server?", "CLI.UNEXPECTED_ANSWER");
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > RESPONSE_BYTES_MAX) {
      return null;
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }
}
