package dev.hutong.openapi.gateway;

import java.util.Arrays;
import java.util.List;

/**
 * Splits application/x-www-form-urlencoded data (a query string or a form body) into parameters,
 * percent-decoded to bytes. Values stay bytes here because the charset that decodes them may only
 * be known once every parameter has been seen (the charset parameter can be anywhere).
 */
final class FormDecoder {
  /** Where a parameter came from, for error messages. */
  enum Source {
    QUERY("the query string"),
    BODY("the form body");

    final String description;

    Source(String description) {
      this.description = description;
    }
  }

  /** One parameter: a checked ASCII name and its percent-decoded value bytes. */
  record Pair(String name, byte[] value, Source source) {}

  private final GatewayLimits limits;

  FormDecoder(GatewayLimits limits) {
    this.limits = limits;
  }

  /** Appends the parameters in data to pairs, refusing as soon as any bound is passed. */
  void decode(byte[] data, Source source, List<Pair> pairs) throws Rejected {
    int start = 0;
    while (start < data.length) {
      int end = indexOf(data, (byte) '&', start, data.length);
      if (end < 0) {
        end = data.length;
      }
      if (end > start) {
        if (pairs.size() >= limits.paramsMax()) {
          throw new Rejected(ProtocolErrors.invalidParameter("the request has more than "
              + limits.paramsMax() + " parameters; send only the protocol parameters and the "
              + "method's own parameters"));
        }
        pairs.add(pair(data, start, end, source));
      }
      start = end + 1;
    }
  }

  private Pair pair(byte[] data, int start, int end, Source source) throws Rejected {
    int eq = indexOf(data, (byte) '=', start, end);
    int nameEnd = eq < 0 ? end : eq;
    byte[] nameBytes = percentDecode(data, start, nameEnd, source);
    String name = checkedName(nameBytes, source);
    byte[] value = eq < 0 ? new byte[0] : percentDecode(data, eq + 1, end, source);
    int valueMax = name.equals(ProtocolParams.BIZ_CONTENT)
        ? limits.bizContentBytesMax() : limits.valueBytesMax();
    if (value.length > valueMax) {
      throw new Rejected(ProtocolErrors.invalidParameter("parameter " + name + " in "
          + source.description + " has " + value.length + " bytes, more than the " + valueMax
          + " allowed"));
    }
    return new Pair(name, value, source);
  }

  /**
   * Names are restricted to ASCII letters, digits, '_', '.' and '-' (every name Alipay and its SDK
   * use), so they can be compared and shown without knowing the charset.
   */
  private String checkedName(byte[] name, Source source) throws Rejected {
    if (name.length == 0) {
      throw new Rejected(ProtocolErrors.invalidParameter(source.description + " has a "
          + "parameter with an empty name; write name=value pairs joined by '&'"));
    }
    if (name.length > limits.nameBytesMax()) {
      throw new Rejected(ProtocolErrors.invalidParameter("parameter name '" + Texts.quote(name)
          + "' in " + source.description + " is longer than " + limits.nameBytesMax()
          + " bytes"));
    }
    for (byte b : name) {
      if (!isNameByte(b)) {
        throw new Rejected(ProtocolErrors.invalidParameter("parameter name '" + Texts.quote(name)
            + "' in " + source.description + " has characters other than letters, digits, "
            + "'_', '.' and '-'"));
      }
    }
    return Texts.ascii(name);
  }

  private static boolean isNameByte(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || b == '_' || b == '.' || b == '-';
  }

  /** '+' is a space and %XY a byte, as HTML forms and URLEncoder (the SDK's encoder) write. */
  static byte[] percentDecode(byte[] data, int from, int to, Source source) throws Rejected {
    byte[] out = new byte[to - from];
    int length = 0;
    for (int i = from; i < to; i++) {
      byte b = data[i];
      if (b == '%') {
        out[length++] = escapedByte(data, i, to, source);
        i += 2;
      } else if (b < 0) {
        throw new Rejected(ProtocolErrors.invalidParameter(source.description + " has the "
            + "non-ASCII byte " + String.format("0x%02x", b & 0xff) + " at offset " + i
            + "; percent-encode every name and value"));
      } else {
        out[length++] = b == '+' ? (byte) ' ' : b;
      }
    }
    return Arrays.copyOf(out, length);
  }

  private static byte escapedByte(byte[] data, int percentAt, int to, Source source)
      throws Rejected {
    int high = percentAt + 1 < to ? Character.digit(data[percentAt + 1], 16) : -1;
    int low = percentAt + 2 < to ? Character.digit(data[percentAt + 2], 16) : -1;
    if (high < 0 || low < 0) {
      throw new Rejected(ProtocolErrors.invalidParameter("malformed percent-encoding in "
          + source.description + " at offset " + percentAt + ": '%' must be followed by two "
          + "hex digits (send a literal '%' as %25)"));
    }
    return (byte) (high << 4 | low);
  }

  private static int indexOf(byte[] data, byte target, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == target) {
        return i;
      }
    }
    return -1;
  }
}
