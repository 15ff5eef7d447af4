package dev.hutong.openapi.gateway;

import java.util.Locale;

/**
 * The parts of a Content-Type header the gateway reads: the media type and the charset attribute.
 *
 * @param mediaType lower case, such as application/x-www-form-urlencoded
 * @param charset the charset attribute as written, unquoted; null when absent
 */
record ContentType(String mediaType, String charset) {
  static final String FORM = "application/x-www-form-urlencoded";
  static final String MULTIPART = "multipart/form-data";
  /** Real headers are far shorter; a bound keeps a hostile header from costing anything. */
  static final int HEADER_CHARS_MAX = 512;

  static ContentType parse(String header) throws Rejected {
    if (header.length() > HEADER_CHARS_MAX) {
      throw new Rejected(ProtocolErrors.invalidParameter("the Content-Type header has "
          + header.length() + " chars, more than " + HEADER_CHARS_MAX));
    }
    String[] parts = header.split(";");
    String mediaType = parts.length == 0 ? "" : parts[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")) {
      throw new Rejected(ProtocolErrors.invalidParameter("the Content-Type '" + Texts.quote(header)
          + "' is not a media type; send " + FORM + ";charset=UTF-8"));
    }
    return new ContentType(mediaType, charsetOf(parts));
  }

  private static String charsetOf(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].strip();
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase("charset")) {
        return unquote(part.substring(eq + 1).strip());
      }
    }
    return null;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
