package dev.hutong.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.openapi.gateway.GatewayError;
import dev.hutong.pay.AlipayTimes;
import dev.hutong.pay.Amounts;
import dev.hutong.pay.TradeError;
import dev.hutong.pay.TradeException;
import java.time.Instant;

/** Building method responses: amounts as 2-decimal strings, times GMT+8, absent values left out. */
final class Replies {
  /** Alipay's fund channel for money from the account balance: the wallet is that balance. */
  static final String FUND_CHANNEL = "ALIPAYACCOUNT";

  private final ObjectNode fields = JsonNodeFactory.instance.objectNode();

  ObjectNode fields() {
    return fields;
  }

  Replies text(String name, String value) {
    if (value != null && !value.isEmpty()) {
      fields.put(name, value);
    }
    return this;
  }

  Replies amount(String name, long fen) {
    fields.put(name, Amounts.format(fen));
    return this;
  }

  Replies time(String name, Instant at) {
    return text(name, AlipayTimes.format(at));
  }

  Replies number(String name, long value) {
    fields.put(name, value);
    return this;
  }

  /** A fund_bill_list-style list with one bill: the whole amount from the wallet balance. */
  Replies walletBill(String name, long fen) {
    ArrayNode list = fields.putArray(name);
    list.addObject().put("fund_channel", FUND_CHANNEL).put("amount", Amounts.format(fen));
    return this;
  }

  /**
   * A refused trade operation: 40004 Business Failed (20000 for ACQ.SYSTEM_ERROR) with Alipay's
   * sub_code; sub_msg is Alipay's Chinese text, then what exactly was wrong, in English.
   */
  static GatewayError error(TradeException e) {
    TradeError error = e.error();
    String detail = e.getMessage();
    String subMsg = detail == null || detail.isBlank() ? error.subMsg()
        : error.subMsg() + ": " + detail;
    return new GatewayError(error.gatewayCode(), error.gatewayMsg(), error.subCode(), subMsg);
  }
}
