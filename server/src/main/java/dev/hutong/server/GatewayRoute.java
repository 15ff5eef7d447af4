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
  /** A multipart upload: the screenshots of an audit application, 4 MB each at most. */
  static final int MULTIPART_BYTES_MAX = 10 * 1024 * 1024;

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
    GatewayResponse answer;
    try {
      String boundary = contentTypes.size() == 1 ? MultipartForm.boundary(contentType) : null;
      answer = gateway.handle(boundary == null
          ? new RawRequest(request.prologue().method().text(), request.query().rawValue(),
              contentType, readBody(request, bodyBytesMax))
          : multipart(request, contentType, boundary));
    } catch (MultipartForm.Malformed e) {
      answer = gateway.refuse(e.getMessage());
    }
    response.status(Status.create(answer.status()));
    response.header(HeaderNames.CONTENT_TYPE, answer.contentType());
    response.send(answer.body());
  }

  /**
   * A file-upload call (the SDK's multipart form): its text parts become the form body the
   * gateway reads, its files travel beside it. The multipart body may be larger than a form, up
   * to {@link #MULTIPART_BYTES_MAX}; the form made of its text parts still meets the gateway's
   * own limit.
   */
  private RawRequest multipart(ServerRequest request, String contentType, String boundary)
      throws MultipartForm.Malformed {
    byte[] body = readBody(request, MULTIPART_BYTES_MAX);
    if (body.length > MULTIPART_BYTES_MAX) {
      throw new MultipartForm.Malformed("the multipart body has more than "
          + MULTIPART_BYTES_MAX + " bytes, the most this gateway accepts");
    }
    MultipartForm form = MultipartForm.parse(body, boundary);
    String charset = charsetOf(contentType);
    return new RawRequest(request.prologue().method().text(), request.query().rawValue(),
        "application/x-www-form-urlencoded" + (charset == null ? "" : ";charset=" + charset),
        form.formBody(), form.files());
  }

  private static String charsetOf(String contentType) {
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        return p.substring(8).strip();
      }
    }
    return null;
  }

  /** At most {@code max + 1} bytes: one more than allowed tells the reader the body is too big. */
  private static byte[] readBody(ServerRequest request, int max) {
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    int limit = max + 1;
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
