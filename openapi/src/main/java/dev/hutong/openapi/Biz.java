package dev.hutong.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.pay.Amounts;
import dev.hutong.pay.TradeError;
import dev.hutong.pay.TradeException;

/**
 * Reads a method's biz_content fields the way Alipay does: fields it does not know are ignored, a
 * blank or null value counts as absent, and a number is taken as its decimal text (merchants who
 * build biz_content by hand often send {@code "total_amount":88.88}). Anything else in a field
 * (an object, an array, a boolean) is ACQ.INVALID_PARAMETER naming the field. The pay module
 * checks the values themselves.
 */
final class Biz {
  private final ObjectNode node;

  Biz(ObjectNode node) {
    this.node = node;
  }

  /** The field's text, or null when absent, null or blank. */
  String text(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue().isBlank() ? null : value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return value.decimalValue().toPlainString();
    }
    throw invalid(name + " must be a string, not " + value.getNodeType().name().toLowerCase(
        java.util.Locale.ROOT));
  }

  /** An amount field in fen; missing or malformed is ACQ.INVALID_PARAMETER. */
  long amount(String name) {
    String text = text(name);
    if (text == null) {
      throw invalid(name + " is required: an amount such as \"88.88\"");
    }
    return Amounts.parse(name, text);
  }

  static TradeException invalid(String detail) {
    return new TradeException(TradeError.INVALID_PARAMETER, detail);
  }
}
