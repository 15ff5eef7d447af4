package dev.hutong.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** JSON responses. One mapper for the whole server: it is thread-safe once configured. */
final class Json {
  private static final String CONTENT_TYPE = "application/json";

  /** The body of every error response. */
  record ErrorBody(String error, String message) {}

  private final ObjectMapper mapper;

  Json(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void send(ServerResponse response, Status status, Object body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Only our own records are serialised here, so this is a programming error.
      throw new IllegalStateException("cannot serialise " + body.getClass().getName(), e);
    }
    response.status(status);
    response.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    response.send(bytes);
  }

  /** An error body: a stable machine-readable code and a sentence for people. */
  void sendError(ServerResponse response, Status status, String code, String message) {
    send(response, status, new ErrorBody(code, message));
  }
}
