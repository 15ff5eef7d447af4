package dev.hutong.openapi.gateway;

import java.util.List;

/**
 * An HTTP request to the gateway as the HTTP adapter received it, before any interpretation.
 *
 * @param httpMethod GET or POST
 * @param rawQuery the query string as sent, still percent-encoded, without '?'; null when none
 * @param contentType the Content-Type header; null when absent
 * @param body the body bytes; the adapter should stop reading past {@link
 *     GatewayLimits#bodyBytesMax()} + 1 bytes so an oversize body is refused without buffering it
 * @param files the file parts of a multipart request, whose text parts the adapter passes as a
 *     form {@code body}; empty otherwise
 */
public record RawRequest(String httpMethod, String rawQuery, String contentType, byte[] body,
    List<UploadedFile> files) {
  public RawRequest {
    rawQuery = rawQuery == null ? "" : rawQuery;
    body = body == null ? new byte[0] : body;
    files = files == null ? List.of() : List.copyOf(files);
  }

  /** A request without files (a form, or a query string only). */
  public RawRequest(String httpMethod, String rawQuery, String contentType, byte[] body) {
    this(httpMethod, rawQuery, contentType, body, List.of());
  }
}
