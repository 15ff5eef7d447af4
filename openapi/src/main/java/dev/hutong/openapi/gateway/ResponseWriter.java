package dev.hutong.openapi.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes {"&lt;node&gt;":{...},"sign":"..."}: one object member, then the signature over the
 * exact bytes of that member's value as written. The SDK cuts the signed text out of the body by
 * position (from the node name to the matching brace), decodes nothing in it, and verifies it
 * re-encoded in its own charset; so the node is written once, to bytes, and those bytes are both
 * signed and sent.
 */
final class ResponseWriter {
  private final PlatformKeys platformKeys;

  ResponseWriter(PlatformKeys platformKeys) {
    this.platformKeys = platformKeys;
  }

  GatewayResponse signed(String nodeName, ObjectNode node, ProtocolCharset charset,
      SignType signType) {
    byte[] nodeBytes = bytesOf(node, charset);
    String sign = platformKeys.sign(signType, nodeBytes);
    return response(nodeName, nodeBytes, ",\"sign\":\"" + sign + "\"}", charset);
  }

  /**
   * For requests refused before the app was authenticated. Alipay answers those without a sign,
   * and the SDK verifies a failed response only when it carries one, so the error reaches the
   * developer even when their keys are wrong, which is the usual cause of such errors.
   */
  GatewayResponse unsigned(String nodeName, ObjectNode node, ProtocolCharset charset) {
    return response(nodeName, bytesOf(node, charset), "}", charset);
  }

  static ObjectNode errorNode(GatewayError error) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("code", error.code());
    node.put("msg", error.msg());
    node.put("sub_code", error.subCode());
    node.put("sub_msg", error.subMsg());
    return node;
  }

  /** code and msg first, as Alipay writes them, then the method's fields. */
  static ObjectNode successNode(ObjectNode fields) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("code", ResultCode.SUCCESS.code());
    node.put("msg", ResultCode.SUCCESS.msg());
    node.setAll(fields);
    return node;
  }

  static String contentType(ProtocolCharset charset) {
    return "application/json;charset=" + charset.protocolName();
  }

  private static GatewayResponse response(String nodeName, byte[] nodeBytes, String tail,
      ProtocolCharset charset) {
    // Node names are method names checked to be [a-z0-9._] or the constant error_response, so
    // they need no JSON escaping; sign is base64.
    ByteArrayOutputStream body = new ByteArrayOutputStream(nodeBytes.length + 512);
    body.writeBytes(("{\"" + nodeName + "\":").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(nodeBytes);
    body.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
    return new GatewayResponse(GatewayResponse.OK, contentType(charset), body.toByteArray());
  }

  private static byte[] bytesOf(ObjectNode node, ProtocolCharset charset) {
    try {
      // String.getBytes writes '?' for a char the charset cannot carry (see Json for why not an
      // escape); the bytes are signed as written, so the signature still verifies.
      return Json.MAPPER.writeValueAsString(node).getBytes(charset.charset());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written: " + e.getMessage(), e);
    }
  }
}
