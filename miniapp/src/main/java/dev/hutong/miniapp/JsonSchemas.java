package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON Schema (draft 2020-12) for app.json and for templates' ext schemas, with the one rule
 * that keeps an uploaded schema harmless: every {@code $ref} is local ({@code #...}), so
 * validating never reads a file, a classpath resource or the network.
 */
final class JsonSchemas {
  /** Bounds on an uploaded schema: nesting depth and the number of errors reported. */
  static final int DEPTH_MAX = 32;
  static final int ERRORS_MAX = 50;

  private static final String META_2020_12 = "https://json-schema.org/draft/2020-12/schema";
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Schema META = REGISTRY.getSchema(SchemaLocation.of(META_2020_12));
  private static final Schema APP_JSON = load("app.schema.json");

  private JsonSchemas() {}

  /** Problems of app.json against the platform's schema, as "location: message" lines. */
  static List<String> appJsonViolations(JsonNode appJson) {
    return messages(APP_JSON.validate(appJson));
  }

  /**
   * Compiles an uploaded schema, or returns why it cannot be used: a reference that is not
   * local, nesting too deep, a schema the 2020-12 meta-schema rejects, or a dialect other than
   * 2020-12.
   */
  static Compiled compile(JsonNode schemaNode) {
    List<String> problems = new ArrayList<>();
    if (!schemaNode.isObject()) {
      return new Compiled(null, List.of("the schema must be a JSON object"));
    }
    JsonNode dialect = schemaNode.get("$schema");
    if (dialect != null && !META_2020_12.equals(dialect.asText())
        && !(META_2020_12 + "#").equals(dialect.asText())) {
      problems.add("$schema must be \"" + META_2020_12 + "\" (or left out): other dialects are"
          + " not supported, found " + dialect);
    }
    checkReferences(schemaNode, "$", 0, problems);
    if (!problems.isEmpty()) {
      return new Compiled(null, problems);
    }
    problems.addAll(messages(META.validate(schemaNode)));
    if (!problems.isEmpty()) {
      return new Compiled(null, problems);
    }
    try {
      Schema schema = REGISTRY.getSchema(schemaNode);
      schema.initializeValidators();
      return new Compiled(schema, List.of());
    } catch (SchemaException | IllegalArgumentException e) {
      return new Compiled(null, List.of("the schema cannot be compiled: " + e.getMessage()));
    }
  }

  /** A compiled schema, or the reasons it could not be compiled. */
  record Compiled(Schema schema, List<String> problems) {
    List<String> violations(JsonNode instance) {
      return messages(schema.validate(instance));
    }
  }

  private static void checkReferences(JsonNode node, String where, int depth, List<String> out) {
    if (depth > DEPTH_MAX) {
      out.add(where + ": nested deeper than " + DEPTH_MAX + " levels; flatten the schema");
      return;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey();
        if ((key.equals("$ref") || key.equals("$dynamicRef") || key.equals("$recursiveRef"))
            && !(field.getValue().isTextual() && field.getValue().asText().startsWith("#"))) {
          out.add(where + "." + key + ": only references inside this file (\"#/$defs/...\") are"
              + " allowed, found " + field.getValue());
        }
        if (key.equals("$id") && depth > 0) {
          out.add(where + ".$id: nested $id is not supported; use $defs and \"#/$defs/...\"");
        }
        checkReferences(field.getValue(), where + "." + key, depth + 1, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkReferences(node.get(i), where + "[" + i + "]", depth + 1, out);
      }
    }
  }

  private static List<String> messages(List<Error> errors) {
    List<String> out = new ArrayList<>();
    for (Error e : errors) {
      if (out.size() == ERRORS_MAX) {
        out.add("... and " + (errors.size() - ERRORS_MAX) + " more");
        break;
      }
      String where = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
      out.add(where.isEmpty() ? e.getMessage() : where + ": " + e.getMessage());
    }
    return out;
  }

  private static Schema load(String resource) {
    try (InputStream in = JsonSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return REGISTRY.getSchema(Json.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
