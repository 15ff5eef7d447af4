package dev.hutong.server.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON object body of a browser API request, read strictly: at most {@link #BYTES_MAX} bytes,
 * {@code application/json}, an object without duplicate keys, no field the endpoint does not
 * know, every value a string of at most {@link #VALUE_CHARS_MAX} characters.
 */
public final class JsonBody {
  public static final int BYTES_MAX = 16 * 1024;
  public static final int VALUE_CHARS_MAX = 1024;
  public static final int DOCUMENT_DEPTH_MAX = 16;
  private static final ObjectMapper STRICT = strictMapper(4);
  private static final ObjectMapper DOCUMENT = strictMapper(DOCUMENT_DEPTH_MAX);

  private final JsonNode node;

  private JsonBody(JsonNode node) {
    this.node = node;
  }

  /** Reads the request's body; {@code allowed} are the field names the endpoint takes. */
  public static JsonBody read(ServerRequest request, Set<String> allowed) {
    return read(request, allowed, BYTES_MAX, STRICT);
  }

  /**
   * As {@link #read}, for a body carrying one JSON document (say, a mini-program's ext) next to
   * its string fields: at most {@code maxBytes}, nested at most {@link #DOCUMENT_DEPTH_MAX}.
   */
  public static JsonBody readWithDocument(ServerRequest request, Set<String> allowed,
      int maxBytes) {
    return read(request, allowed, maxBytes, DOCUMENT);
  }

  /** A JSON value of the body as sent (objects, arrays), or null when it is absent. */
  public JsonNode node(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static JsonBody read(ServerRequest request, Set<String> allowed, int maxBytes,
      ObjectMapper parser) {
    byte[] bytes = bytes(request, maxBytes);
    if (bytes.length == 0) {
      throw WebException.badRequest("invalid_json", "send a JSON object body");
    }
    String type = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
        .split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")) {
      throw new WebException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
          "send the body as Content-Type: application/json");
    }
    JsonNode tree;
    try {
      tree = parser.readTree(bytes);
    } catch (IOException e) {
      throw WebException.badRequest("invalid_json", "the body is not a valid JSON object");
    }
    if (tree == null || !tree.isObject()) {
      throw WebException.badRequest("invalid_json", "the body must be a JSON object");
    }
    for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw WebException.badRequest("unknown_field", "unknown field \"" + bounded(name)
            + "\"; this endpoint takes " + allowed);
      }
    }
    return new JsonBody(tree);
  }

  public String required(String field) {
    return optional(field).orElseThrow(() -> WebException.badRequest("missing_field",
        "the field \"" + field + "\" is required"));
  }

  public Optional<String> optional(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.textValue().length() > VALUE_CHARS_MAX) {
      throw WebException.badRequest("invalid_field", "the field \"" + field + "\" must be a"
          + " string of at most " + VALUE_CHARS_MAX + " characters (amounts too: \"10.00\")");
    }
    String text = value.textValue();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** The raw body, at most {@code max} bytes (a larger one is refused with 413 unread). */
  static byte[] bytes(ServerRequest request, int max) {
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    if (request.headers().contentLength().orElse(0) > max) {
      throw tooLarge(max);
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw tooLarge(max);
      }
      return bytes;
    } catch (IOException e) {
      throw WebException.badRequest("unreadable_body", "the request body could not be read");
    }
  }

  private static WebException tooLarge(int max) {
    return new WebException(Status.REQUEST_ENTITY_TOO_LARGE_413, "body_too_large",
        "this request's body may be at most " + max + " bytes");
  }

  private static String bounded(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static ObjectMapper strictMapper(int depth) {
    ObjectMapper mapper = new ObjectMapper();
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(depth).maxStringLength(VALUE_CHARS_MAX * 2).build());
    return mapper;
  }
}
