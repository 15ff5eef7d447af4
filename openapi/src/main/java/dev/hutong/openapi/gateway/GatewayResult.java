package dev.hutong.openapi.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a {@link GatewayMethod} returns: the business fields of a success, or a {@link
 * GatewayError}.
 */
public sealed interface GatewayResult permits GatewayResult.Success, GatewayError {

  /**
   * The business fields of a successful call. The gateway adds code 10000 and msg Success in front
   * of them; the fields must therefore not include code, msg, sub_code or sub_msg, and amounts and
   * dates must be strings (amounts "88.88", dates "yyyy-MM-dd HH:mm:ss" in GMT+8), as the SDK's
   * response classes expect.
   */
  record Success(ObjectNode fields) implements GatewayResult {
    public Success {
      Objects.requireNonNull(fields, "fields");
    }
  }

  static Success success(ObjectNode fields) {
    return new Success(fields);
  }
}
