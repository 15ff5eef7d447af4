package dev.hutong.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON object of an admin request, checked strictly: an object, no duplicate keys, no field
 * the endpoint does not know (a typo must not be silently ignored), every value a string of
 * bounded length.
 */
final class AdminBody {
  /** Longest string value: a 4096-bit public key in PEM armour is about 800 characters. */
  static final int VALUE_CHARS_MAX = 4096;
  private static final ObjectMapper STRICT = strictMapper();

  private final ObjectNode node;

  private AdminBody(ObjectNode node) {
    this.node = node;
  }

  /** An empty body for endpoints that take none. */
  static AdminBody empty() {
    return new AdminBody(STRICT.createObjectNode());
  }

  static AdminBody parse(byte[] bytes, Set<String> allowedFields) {
    if (bytes.length == 0) {
      throw AdminException.badRequest("ADMIN.INVALID_JSON",
          "the request needs a JSON object body");
    }
    JsonNode tree;
    try {
      tree = STRICT.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw AdminException.badRequest("ADMIN.INVALID_JSON",
          "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw AdminException.badRequest("ADMIN.INVALID_JSON", "the body could not be read");
    }
    if (tree == null || !tree.isObject()) {
      throw AdminException.badRequest("ADMIN.INVALID_JSON", "the body must be a JSON object");
    }
    Set<String> unknown = new HashSet<>();
    for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowedFields.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw AdminException.badRequest("ADMIN.UNKNOWN_FIELD", "unknown field(s) "
          + List.copyOf(unknown) + "; this endpoint takes " + List.copyOf(allowedFields));
    }
    return new AdminBody((ObjectNode) tree);
  }

  String required(String field) {
    return optional(field).orElseThrow(() -> AdminException.missing(field));
  }

  Optional<String> optional(String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw AdminException.invalid(field, "must be a string (amounts too: \"100.00\")");
    }
    String text = value.textValue();
    if (text.length() > VALUE_CHARS_MAX) {
      throw AdminException.invalid(field, "is longer than " + VALUE_CHARS_MAX + " characters");
    }
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  UUID requiredId(String field) {
    return id(field, required(field));
  }

  static UUID id(String field, String text) {
    // UUID.fromString accepts short forms such as "1-1-1-1-1"; ids are always the canonical 36.
    if (text.length() != 36) {
      throw AdminException.invalid(field, "must be an id like 0190a5c4-1d2e-7f00-8000-00000000abcd, got '"
          + abbreviate(text) + "'");
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw AdminException.invalid(field, "must be an id like 0190a5c4-1d2e-7f00-8000-00000000abcd, got '"
          + abbreviate(text) + "'");
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(8).maxStringLength(VALUE_CHARS_MAX * 2).build());
    return mapper;
  }
}
