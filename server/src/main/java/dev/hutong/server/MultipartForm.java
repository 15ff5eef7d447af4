package dev.hutong.server;

import dev.hutong.openapi.gateway.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578) split into text fields and files, with a bound on
 * everything. Written for what the Alipay SDK sends for file-upload methods: a CRLF before the
 * first delimiter, part headers without a space after the colon
 * ({@code Content-Disposition:form-data;name="x"}), text parts in the request's charset. Text
 * field values are kept as bytes, so the gateway decodes them with the charset it settles on,
 * exactly as it decodes a form.
 */
final class MultipartForm {
  /** Parts in one body. */
  static final int PARTS_MAX = 64;
  /** One part's header block. */
  static final int PART_HEADER_BYTES_MAX = 4 * 1024;
  /** One file. */
  static final int FILE_BYTES_MAX = 4 * 1024 * 1024;
  /** The boundary, as RFC 2046 bounds it. */
  static final int BOUNDARY_CHARS_MAX = 70;

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  /** A refused body; the message says what was wrong. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final Map<String, byte[]> fields;
  private final List<UploadedFile> files;

  private MultipartForm(Map<String, byte[]> fields, List<UploadedFile> files) {
    this.fields = fields;
    this.files = files;
  }

  /** The boundary of a multipart/form-data Content-Type, or null when it is not one. */
  static String boundary(String contentType) throws Malformed {
    if (contentType == null) {
      return null;
    }
    String[] parts = contentType.split(";");
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      return null;
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = unquote(p.substring(9).strip());
        if (b.isEmpty() || b.length() > BOUNDARY_CHARS_MAX || !b.chars().allMatch(
            c -> c > 0x20 && c < 0x7f)) {
          throw new Malformed("the multipart boundary must be 1-" + BOUNDARY_CHARS_MAX
              + " printable ASCII characters");
        }
        return b;
      }
    }
    throw new Malformed("the multipart/form-data Content-Type has no boundary");
  }

  static MultipartForm parse(byte[] body, String boundary) throws Malformed {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw new Malformed("the multipart body has no part delimited by its boundary");
    }
    byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    Map<String, byte[]> fields = new LinkedHashMap<>();
    List<UploadedFile> files = new ArrayList<>();
    int pos = at + delimiter.length;
    for (int parts = 0; ; parts++) {
      if (startsWith(body, pos, new byte[] {'-', '-'})) {
        return new MultipartForm(fields, files);
      }
      if (parts >= PARTS_MAX) {
        throw new Malformed("the multipart body has more than " + PARTS_MAX + " parts");
      }
      if (!startsWith(body, pos, CRLF)) {
        throw new Malformed("a multipart delimiter must be followed by CRLF or --");
      }
      int headersStart = pos + 2;
      int headersEnd = indexOf(body, HEADER_END, headersStart);
      if (headersEnd < 0 || headersEnd - headersStart > PART_HEADER_BYTES_MAX) {
        throw new Malformed("a part's headers are missing their end or longer than "
            + PART_HEADER_BYTES_MAX + " bytes");
      }
      Part part = headers(new String(body, headersStart, headersEnd - headersStart,
          StandardCharsets.UTF_8));
      int contentStart = headersEnd + 4;
      int contentEnd = indexOf(body, next, contentStart);
      if (contentEnd < 0) {
        throw new Malformed("the multipart body ends inside a part (no closing delimiter)");
      }
      byte[] content = java.util.Arrays.copyOfRange(body, contentStart, contentEnd);
      add(part, content, fields, files);
      pos = contentEnd + next.length;
    }
  }

  private record Part(String name, String filename, String contentType) {}

  private static void add(Part part, byte[] content, Map<String, byte[]> fields,
      List<UploadedFile> files) throws Malformed {
    boolean taken = fields.containsKey(part.name())
        || files.stream().anyMatch(f -> f.name().equals(part.name()));
    if (taken) {
      throw new Malformed("the part " + quote(part.name()) + " appears twice");
    }
    if (part.filename() == null) {
      fields.put(part.name(), content);
      return;
    }
    if (content.length > FILE_BYTES_MAX) {
      throw new Malformed("the file " + quote(part.name()) + " has " + content.length
          + " bytes; at most " + FILE_BYTES_MAX);
    }
    files.add(new UploadedFile(part.name(), part.filename(), part.contentType(), content));
  }

  /** Header lines {@code Name:value} or {@code Name: value}; only two headers matter. */
  private static Part headers(String block) throws Malformed {
    String name = null;
    String filename = null;
    String contentType = null;
    for (String line : block.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new Malformed("a part header line has no name: " + quote(line));
      }
      String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (header.equals("content-type")) {
        contentType = value;
      } else if (header.equals("content-disposition")) {
        Map<String, String> params = dispositionParams(value);
        name = params.get("name");
        filename = params.get("filename");
      }
    }
    if (name == null || name.isEmpty()) {
      throw new Malformed("a part has no Content-Disposition: form-data; name=\"...\"");
    }
    return new Part(name, filename, contentType);
  }

  private static Map<String, String> dispositionParams(String value) throws Malformed {
    String[] items = value.split(";");
    if (!items[0].strip().equalsIgnoreCase("form-data")) {
      throw new Malformed("a part's Content-Disposition must be form-data");
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < items.length; i++) {
      String item = items[i].strip();
      int eq = item.indexOf('=');
      if (eq > 0) {
        params.put(item.substring(0, eq).strip().toLowerCase(Locale.ROOT),
            unquote(item.substring(eq + 1).strip()));
      }
    }
    return params;
  }

  /**
   * The text fields as an {@code application/x-www-form-urlencoded} body, every byte outside
   * the unreserved set percent-encoded, so the field bytes reach the gateway unchanged.
   */
  byte[] formBody() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean first = true;
    for (Map.Entry<String, byte[]> field : fields.entrySet()) {
      if (!first) {
        out.write('&');
      }
      first = false;
      percentEncode(field.getKey().getBytes(StandardCharsets.UTF_8), out);
      out.write('=');
      percentEncode(field.getValue(), out);
    }
    return out.toByteArray();
  }

  List<UploadedFile> files() {
    return files;
  }

  private static void percentEncode(byte[] bytes, ByteArrayOutputStream out) {
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
          || c == '_' || c == '.' || c == '~') {
        out.write(c);
      } else {
        out.write('%');
        out.write(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.write(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
  }

  private static boolean startsWith(byte[] body, int pos, byte[] prefix) {
    if (pos < 0 || pos + prefix.length > body.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (body[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static int indexOf(byte[] body, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= body.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }

  private static String quote(String text) {
    String t = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return "'" + t.replaceAll("[\\p{Cntrl}]", "?") + "'";
  }
}
