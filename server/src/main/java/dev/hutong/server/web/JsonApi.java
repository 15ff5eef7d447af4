package dev.hutong.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.IdentityException;
import dev.hutong.pay.TradeException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON answers of the browser APIs (the shell, the merchant portal, the operations console,
 * the user's mini-program lists): a handler returns the body (or has sent a non-JSON one itself,
 * returning {@link #SENT}); refusals become {@code {"error", "message"}} with the status
 * {@link HttpStatuses} gives the error. Nothing is stored by the browser or a proxy: every answer
 * is somebody's money or personal data.
 */
final class JsonApi {
  /** Returned by a handler that sent its own response (a file, an image). */
  static final Object SENT = new Object();
  private static final Logger log = LoggerFactory.getLogger(JsonApi.class);

  @FunctionalInterface
  interface Handler {
    Object handle(ServerRequest request, ServerResponse response);
  }

  private final ObjectMapper mapper;

  JsonApi(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  io.helidon.webserver.http.Handler wrap(Handler handler) {
    return (request, response) -> {
      Object body;
      Status status = null;
      try {
        body = handler.handle(request, response);
        if (body == SENT) {
          return;
        }
      } catch (WebException e) {
        status = e.status();
        body = fields("error", e.code(), "message", e.getMessage());
      } catch (TradeException e) {
        status = HttpStatuses.of(e.error());
        body = fields("error", e.subCode(), "message", e.getMessage());
      } catch (IdentityException e) {
        status = HttpStatuses.of(e.error());
        body = fields("error", "IDENTITY." + e.error().name(), "message", e.getMessage());
      } catch (RuntimeException e) {
        String incident = UUID.randomUUID().toString().substring(0, 8);
        log.error("{} {} failed (incident {})", request.prologue().method().text(),
            request.path().rawPath(), incident, e);
        status = Status.INTERNAL_SERVER_ERROR_500;
        body = fields("error", "internal_error", "message",
            "something went wrong on the server (incident " + incident + ")");
      }
      if (status != null) {
        response.status(status);
      }
      byte[] bytes;
      try {
        bytes = mapper.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialise a reply", e);
      }
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.header(HeaderNames.CACHE_CONTROL, "no-store");
      response.send(bytes);
    };
  }

  static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
