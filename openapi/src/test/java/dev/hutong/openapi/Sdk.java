package dev.hutong.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.AlipayResponse;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipayTradeCancelRequest;
import com.alipay.api.request.AlipayTradeCloseRequest;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeFastpayRefundQueryRequest;
import com.alipay.api.request.AlipayTradePayRequest;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayTradeCancelResponse;
import com.alipay.api.response.AlipayTradeCloseResponse;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.alipay.api.response.AlipayTradeFastpayRefundQueryResponse;
import com.alipay.api.response.AlipayTradePayResponse;
import com.alipay.api.response.AlipayTradePrecreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/** The official SDK's trade requests with hand-built biz_content, as merchant code sends them. */
final class Sdk {
  private Sdk() {}

  /** biz_content from name/value pairs; null values are left out, numbers stay JSON numbers. */
  static String biz(Object... nameValues) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < nameValues.length; i += 2) {
      String name = (String) nameValues[i];
      Object value = nameValues[i + 1];
      if (value == null) {
        continue;
      }
      switch (value) {
        case String s -> node.put(name, s);
        case BigDecimal d -> node.put(name, d);
        case Integer n -> node.put(name, n);
        case JsonNode j -> node.set(name, j);
        default -> node.put(name, value.toString());
      }
    }
    return node.toString();
  }

  static AlipayTradeCreateResponse create(DefaultAlipayClient c, String biz) {
    AlipayTradeCreateRequest r = new AlipayTradeCreateRequest();
    r.setBizContent(biz);
    return OpenApiFixture.execute(c, r);
  }

  static AlipayTradeCreateResponse create(DefaultAlipayClient c, String out, String amount) {
    return create(c, biz("out_trade_no", out, "total_amount", amount, "subject", "牛肉面"));
  }

  static AlipayTradePrecreateResponse precreate(DefaultAlipayClient c, String biz) {
    AlipayTradePrecreateRequest r = new AlipayTradePrecreateRequest();
    r.setBizContent(biz);
    return OpenApiFixture.execute(c, r);
  }

  static AlipayTradePayResponse pay(DefaultAlipayClient c, String biz) {
    AlipayTradePayRequest r = new AlipayTradePayRequest();
    r.setBizContent(biz);
    return OpenApiFixture.execute(c, r);
  }

  static AlipayTradePayResponse pay(DefaultAlipayClient c, String out, String amount,
      String authCode) {
    return pay(c, biz("out_trade_no", out, "scene", "bar_code", "auth_code", authCode,
        "total_amount", amount, "subject", "收银台"));
  }

  static AlipayTradeQueryResponse queryWith(DefaultAlipayClient c, String biz) {
    AlipayTradeQueryRequest r = new AlipayTradeQueryRequest();
    r.setBizContent(biz);
    return OpenApiFixture.execute(c, r);
  }

  static AlipayTradeQueryResponse query(DefaultAlipayClient c, String out) {
    return queryWith(c, biz("out_trade_no", out));
  }

  static AlipayTradeRefundResponse refund(DefaultAlipayClient c, String biz) {
    AlipayTradeRefundRequest r = new AlipayTradeRefundRequest();
    r.setBizContent(biz);
    return OpenApiFixture.execute(c, r);
  }

  static AlipayTradeRefundResponse refund(DefaultAlipayClient c, String out, String amount,
      String requestNo) {
    return refund(c, biz("out_trade_no", out, "refund_amount", amount, "out_request_no",
        requestNo));
  }

  static AlipayTradeFastpayRefundQueryResponse refundQuery(DefaultAlipayClient c, String out,
      String requestNo) {
    AlipayTradeFastpayRefundQueryRequest r = new AlipayTradeFastpayRefundQueryRequest();
    r.setBizContent(biz("out_trade_no", out, "out_request_no", requestNo));
    return OpenApiFixture.execute(c, r);
  }

  static AlipayTradeCloseResponse close(DefaultAlipayClient c, String biz) {
    AlipayTradeCloseRequest r = new AlipayTradeCloseRequest();
    r.setBizContent(biz);
    return OpenApiFixture.execute(c, r);
  }

  static AlipayTradeCancelResponse cancel(DefaultAlipayClient c, String out) {
    AlipayTradeCancelRequest r = new AlipayTradeCancelRequest();
    r.setBizContent(biz("out_trade_no", out));
    return OpenApiFixture.execute(c, r);
  }

  static void assertSuccess(AlipayResponse r) {
    assertThat(r.isSuccess()).as("%s %s: %s", r.getSubCode(), r.getSubMsg(), r.getBody()).isTrue();
    assertThat(r.getCode()).isEqualTo("10000");
  }

  /** A signed business failure with Alipay's code and sub_code. */
  static void assertFailure(AlipayResponse r, String code, String subCode) {
    assertThat(r.isSuccess()).as(r.getBody()).isFalse();
    assertThat(r.getCode()).as(r.getBody()).isEqualTo(code);
    assertThat(r.getSubCode()).as(r.getBody()).isEqualTo(subCode);
    assertThat(r.getSubMsg()).isNotBlank();
    assertThat(r.getBody()).contains("\"sign\":\"");
  }
}
