package dev.hutong.openapi.gateway;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The request charsets the gateway accepts. The charset decodes the request's percent-encoded
 * bytes, forms the bytes that are signed, and encodes the response and its signature.
 */
public enum ProtocolCharset {
  UTF_8("UTF-8", StandardCharsets.UTF_8),
  GBK("GBK", Charset.forName("GBK"));

  private final String protocolName;
  private final Charset charset;

  ProtocolCharset(String protocolName, Charset charset) {
    this.protocolName = protocolName;
    this.charset = charset;
  }

  /** The name as the protocol writes it (charset parameter, Content-Type). */
  public String protocolName() {
    return protocolName;
  }

  public Charset charset() {
    return charset;
  }

  /** Matches "UTF-8" and "GBK" in any letter case, as Alipay does; nothing else (no aliases). */
  public static Optional<ProtocolCharset> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String upper = name.trim().toUpperCase(Locale.ROOT);
    for (ProtocolCharset value : values()) {
      if (value.protocolName.equals(upper)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
