package dev.hutong.openapi.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Checks what a handler returned before it is signed and sent. A violation is a bug in the
 * handler, answered as 20000 isp.unknow-error and logged, rather than a response the SDK would
 * misread.
 */
final class SuccessFields {
  /** The gateway writes these itself; a success carrying sub_code would read as a failure. */
  private static final Set<String> RESERVED = Set.of("code", "msg", "sub_code", "sub_msg");
  static final int DEPTH_MAX = 32;

  private SuccessFields() {}

  /** Null when the result may be sent, else what is wrong with it. */
  static String fault(GatewayResult result) {
    if (result == null) {
      return "the handler returned null instead of a success or a GatewayError";
    }
    if (!(result instanceof GatewayResult.Success success)) {
      return null;
    }
    ObjectNode fields = success.fields();
    for (String name : RESERVED) {
      if (fields.has(name)) {
        return "the handler's success carries '" + name + "', which the gateway writes itself";
      }
    }
    return floatFault(fields, "", 0);
  }

  /** Amounts travel as strings ("88.88"); a JSON float in a response is a money bug. */
  private static String floatFault(JsonNode node, String path, int depth) {
    if (depth > DEPTH_MAX) {
      return "the handler's success nests deeper than " + DEPTH_MAX + " levels at " + path;
    }
    if (node.isFloatingPointNumber()) {
      return "the handler's success has the number " + node + " at " + path
          + "; amounts must be strings such as \"88.88\"";
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String fault = floatFault(field.getValue(), path + "/" + field.getKey(), depth + 1);
        if (fault != null) {
          return fault;
        }
      }
    }
    for (int i = 0; node.isArray() && i < node.size(); i++) {
      String fault = floatFault(node.get(i), path + "/" + i, depth + 1);
      if (fault != null) {
        return fault;
      }
    }
    return null;
  }
}
