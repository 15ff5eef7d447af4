package dev.hutong.openapi.gateway;

import dev.hutong.openapi.gateway.FormDecoder.Pair;
import dev.hutong.openapi.gateway.FormDecoder.Source;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a {@link RawRequest} into decoded parameters. The SDK puts protocol parameters in the query
 * string and application parameters (biz_content) in a form body; browsers put everything in one
 * or the other. Both places are read and merged; a name may appear only once in all.
 */
final class RequestParser {
  /** The outcome: parameters, or the error with the charset to answer it in. */
  sealed interface Outcome permits Parsed, Failed {}

  record Parsed(ParsedRequest request) implements Outcome {}

  record Failed(GatewayError error, ProtocolCharset charset) implements Outcome {}

  /** File parts in one request: audit.apply has 19 file fields, most of them optional. */
  static final int FILES_MAX = 24;

  private final GatewayLimits limits;
  private final FormDecoder decoder;

  RequestParser(GatewayLimits limits) {
    this.limits = limits;
    this.decoder = new FormDecoder(limits);
  }

  Outcome parse(RawRequest request) {
    ProtocolCharset charset = ProtocolCharset.UTF_8;
    try {
      ContentType contentType = checkShape(request);
      List<Pair> pairs = new ArrayList<>();
      decoder.decode(queryBytes(request.rawQuery()), Source.QUERY, pairs);
      if (request.body().length > 0) {
        decoder.decode(request.body(), Source.BODY, pairs);
      }
      Map<String, Pair> byName = uniqueByName(pairs);
      charset = charsetOf(byName.get(ProtocolParams.CHARSET), contentType);
      requireFilesApart(request.files(), byName);
      return new Parsed(new ParsedRequest(decodeValues(byName, charset), charset,
          request.files()));
    } catch (Rejected e) {
      return new Failed(e.error(), charset);
    }
  }

  /** The HTTP method, body size and Content-Type; the Content-Type is null for an empty body. */
  private ContentType checkShape(RawRequest request) throws Rejected {
    String method = request.httpMethod();
    if (!"POST".equals(method) && !"GET".equals(method)) {
      throw new Rejected(ProtocolErrors.invalidParameter("HTTP method "
          + Texts.quote(String.valueOf(method)) + " is not served; use POST (or GET)"));
    }
    int bodyBytes = request.body().length;
    if (bodyBytes == 0) {
      return null;
    }
    if (method.equals("GET")) {
      throw new Rejected(ProtocolErrors.invalidParameter("a GET request carries its parameters "
          + "in the query string only, but this one has a " + bodyBytes + "-byte body; use POST"));
    }
    if (bodyBytes > limits.bodyBytesMax()) {
      throw new Rejected(ProtocolErrors.invalidParameter("the body has more than "
          + limits.bodyBytesMax() + " bytes, the most this gateway accepts"));
    }
    return checkedContentType(request.contentType());
  }

  private static ContentType checkedContentType(String header) throws Rejected {
    String fix = "send the form as " + ContentType.FORM + ";charset=UTF-8 (or GBK)";
    if (header == null || header.isBlank()) {
      throw new Rejected(ProtocolErrors.invalidParameter("the body has no Content-Type; " + fix));
    }
    ContentType contentType = ContentType.parse(header);
    if (contentType.mediaType().equals(ContentType.MULTIPART)) {
      throw new Rejected(ProtocolErrors.invalidParameter(ContentType.MULTIPART + " (file upload "
          + "methods) is not supported by this gateway yet; " + fix));
    }
    if (!contentType.mediaType().equals(ContentType.FORM)) {
      throw new Rejected(ProtocolErrors.invalidParameter("Content-Type "
          + contentType.mediaType() + " is not supported; " + fix));
    }
    return contentType;
  }

  private byte[] queryBytes(String rawQuery) throws Rejected {
    if (rawQuery.length() > limits.queryCharsMax()) {
      throw new Rejected(ProtocolErrors.invalidParameter("the query string has "
          + rawQuery.length() + " chars, more than " + limits.queryCharsMax() + "; put "
          + "biz_content and other long values in a POST form body"));
    }
    for (int i = 0; i < rawQuery.length(); i++) {
      if (rawQuery.charAt(i) >= 0x80) {
        throw new Rejected(ProtocolErrors.invalidParameter("the query string has the non-ASCII "
            + "character '" + rawQuery.charAt(i) + "' at offset " + i + "; percent-encode every "
            + "name and value"));
      }
    }
    return rawQuery.getBytes(StandardCharsets.US_ASCII);
  }

  private static Map<String, Pair> uniqueByName(List<Pair> pairs) throws Rejected {
    Map<String, Pair> byName = new HashMap<>();
    for (Pair pair : pairs) {
      Pair earlier = byName.putIfAbsent(pair.name(), pair);
      if (earlier != null) {
        String where = earlier.source() == pair.source()
            ? "twice in " + pair.source().description
            : "in both the query string and the form body";
        throw new Rejected(ProtocolErrors.invalidParameter("parameter " + pair.name()
            + " appears " + where + "; send each parameter once"));
      }
    }
    return byName;
  }

  /** A file part may not share its name with a parameter: which would the method mean? */
  private void requireFilesApart(List<UploadedFile> files, Map<String, Pair> byName)
      throws Rejected {
    if (files.size() > FILES_MAX) {
      throw new Rejected(ProtocolErrors.invalidParameter("the request has " + files.size()
          + " files; at most " + FILES_MAX));
    }
    Set<String> seen = new HashSet<>();
    for (UploadedFile file : files) {
      if (byName.containsKey(file.name()) || !seen.add(file.name())) {
        throw new Rejected(ProtocolErrors.invalidParameter("the file " + Texts.quote(file.name())
            + " has the name of another parameter or file; send each name once"));
      }
    }
  }

  /**
   * The charset parameter decides; a Content-Type charset must agree with it. Without either the
   * request is UTF-8. Both UTF-8 and GBK leave ASCII as is, so the charset parameter's own bytes
   * can be read before the charset is known.
   */
  private static ProtocolCharset charsetOf(Pair parameter, ContentType contentType)
      throws Rejected {
    String declared = parameter == null ? "" : Texts.ascii(parameter.value()).strip();
    String header = contentType == null || contentType.charset() == null
        ? "" : contentType.charset().strip();
    if (declared.isEmpty() && header.isEmpty()) {
      return ProtocolCharset.UTF_8;
    }
    ProtocolCharset fromParameter =
        declared.isEmpty() ? null : named(declared, "charset parameter");
    ProtocolCharset fromHeader =
        header.isEmpty() ? null : named(header, "Content-Type charset");
    if (fromParameter != null && fromHeader != null && fromParameter != fromHeader) {
      throw new Rejected(ProtocolErrors.invalidCharset("the charset parameter says " + declared
          + " but the Content-Type says charset=" + header + "; make them the same"));
    }
    return fromParameter != null ? fromParameter : fromHeader;
  }

  private static ProtocolCharset named(String name, String where) throws Rejected {
    return ProtocolCharset.fromName(name).orElseThrow(() -> new Rejected(
        ProtocolErrors.invalidCharset("the " + where + " '" + Texts.quote(name) + "' is not "
            + "supported; use UTF-8 or GBK")));
  }

  private static SortedMap<String, String> decodeValues(Map<String, Pair> byName,
      ProtocolCharset charset) throws Rejected {
    TreeMap<String, String> params = new TreeMap<>();
    for (Pair pair : byName.values()) {
      params.put(pair.name(), decodeValue(pair, charset));
    }
    return Collections.unmodifiableSortedMap(params);
  }

  private static String decodeValue(Pair pair, ProtocolCharset charset) throws Rejected {
    CharsetDecoder decoder = charset.charset().newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(pair.value())).toString();
    } catch (CharacterCodingException e) {
      throw new Rejected(ProtocolErrors.invalidCharset("parameter " + pair.name() + " in "
          + pair.source().description + " is not valid " + charset.protocolName() + " once "
          + "percent-decoded; encode every value with the charset the charset parameter names"));
    }
  }
}
