package dev.hutong.server;

import dev.hutong.openapi.gateway.Gateway;
import dev.hutong.openapi.gateway.GatewayResponse;
import dev.hutong.openapi.gateway.RawRequest;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /gateway.do}: a thin adapter between Helidon and the {@link Gateway}, which owns every
 * decision about the request. It passes the HTTP method, the raw query, the Content-Type and at
 * most {@code bodyBytesMax + 1} body bytes — one more than the gateway accepts, so the gateway
 * sees an oversize body and answers its own error without the adapter buffering the rest — and
 * copies status, Content-Type and body back unchanged.
 */
final class GatewayRoute {
  static final String PATH = "/gateway.do";

  private final Gateway gateway;
  private final int bodyBytesMax;

  GatewayRoute(Gateway gateway, int bodyBytesMax) {
    this.gateway = gateway;
    this.bodyBytesMax = bodyBytesMax;
  }

  void handle(ServerRequest request, ServerResponse response) {
    List<String> contentTypes = request.headers().values(HeaderNames.CONTENT_TYPE);
    // Several Content-Type headers are passed joined, so the gateway refuses them as malformed.
    String contentType = contentTypes.isEmpty() ? null : String.join(", ", contentTypes);
    RawRequest raw = new RawRequest(request.prologue().method().text(),
        request.query().rawValue(), contentType, readBody(request));
    GatewayResponse answer = gateway.handle(raw);
    response.status(Status.create(answer.status()));
    response.header(HeaderNames.CONTENT_TYPE, answer.contentType());
    response.send(answer.body());
  }

  private byte[] readBody(ServerRequest request) {
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    int limit = bodyBytesMax + 1;
    byte[] buffer = new byte[Math.min(limit, 16 * 1024)];
    int length = 0;
    try (InputStream in = request.content().inputStream()) {
      while (length < limit) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
        }
        int read = in.read(buffer, length, buffer.length - length);
        if (read < 0) {
          break;
        }
        length += read;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the gateway request body", e);
    }
    return Arrays.copyOf(buffer, length);
  }
}
