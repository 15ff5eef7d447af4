package dev.hutong.openapi.gateway;

import java.nio.charset.StandardCharsets;

/** Safe renderings of client input inside error messages. */
final class Texts {
  /** Enough to recognise a value in a message without echoing a large input back. */
  static final int QUOTE_CHARS_MAX = 64;

  private Texts() {}

  /** The text cut to {@link #QUOTE_CHARS_MAX} chars, control characters shown as \\uXXXX. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(text.length(), QUOTE_CHARS_MAX);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > end) {
      out.append("...");
    }
    return out.toString();
  }

  /** Bytes of unknown encoding: ASCII printable as is, everything else as \\xNN. */
  static String quote(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(bytes.length, QUOTE_CHARS_MAX);
    for (int i = 0; i < end; i++) {
      int b = bytes[i] & 0xff;
      if (b >= 0x20 && b < 0x7f) {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b));
      }
    }
    if (bytes.length > end) {
      out.append("...");
    }
    return out.toString();
  }

  static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
