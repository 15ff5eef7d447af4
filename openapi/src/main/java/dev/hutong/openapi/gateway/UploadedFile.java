package dev.hutong.openapi.gateway;

import java.util.Objects;

/**
 * A file part of a multipart request (the SDK's {@code FileItem}s, such as the screenshots of
 * alipay.open.mini.version.audit.apply). Files are not signed by the protocol: a method must
 * treat their bytes as untrusted input and check what they are.
 *
 * @param name the form field, such as first_screen_shot
 * @param filename the file name the client gave; may be empty
 * @param contentType the part's Content-Type; application/octet-stream when absent
 * @param bytes the content
 */
public record UploadedFile(String name, String filename, String contentType, byte[] bytes) {
  public UploadedFile {
    Objects.requireNonNull(name, "name");
    filename = filename == null ? "" : filename;
    contentType = contentType == null || contentType.isBlank() ? "application/octet-stream"
        : contentType;
    Objects.requireNonNull(bytes, "bytes");
  }
}
