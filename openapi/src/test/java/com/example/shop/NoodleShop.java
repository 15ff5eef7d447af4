package com.example.shop;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.domain.AlipayTradeCreateModel;
import com.alipay.api.domain.AlipayTradeQueryModel;
import com.alipay.api.domain.AlipayTradeRefundModel;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayTradeRefundRequest;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayTradeRefundResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * A merchant back end selling through Hutong with the official Alipay SDK, unmodified: the
 * example of docs/openapi.md ("Using the official SDK"). SdkExampleTest compiles and runs it
 * against a real gateway, so the documented code is known to work.
 */
public final class NoodleShop {
  private final AlipayClient client;
  private final String hutongPublicKey;

  /**
   * @param gatewayUrl e.g. http://127.0.0.1:8080/gateway.do
   * @param appId from `hutong admin app create`
   * @param appPrivateKey the app's RSA private key, base64 PKCS#8 (its public key was registered)
   * @param hutongPublicKey the platform_public_key `hutong admin app create` printed
   */
  public NoodleShop(String gatewayUrl, String appId, String appPrivateKey,
      String hutongPublicKey) {
    this.client = new DefaultAlipayClient(gatewayUrl, appId, appPrivateKey, "json", "UTF-8",
        hutongPublicKey, "RSA2");
    this.hutongPublicKey = hutongPublicKey;
  }

  /** Creates the order's trade; the mini-program pays it with my.tradePay({tradeNO}). */
  public String createTrade(String orderNo, String amount, String buyerOpenId)
      throws AlipayApiException {
    AlipayTradeCreateModel model = new AlipayTradeCreateModel();
    model.setOutTradeNo(orderNo);
    model.setTotalAmount(amount);
    model.setSubject("牛肉面 x2");
    model.setBuyerOpenId(buyerOpenId); // from alipay.system.oauth.token
    model.setTimeoutExpress("15m");
    AlipayTradeCreateRequest request = new AlipayTradeCreateRequest();
    request.setBizModel(model);
    request.setNotifyUrl("https://shop.example.com/alipay/notify");
    AlipayTradeCreateResponse response = client.execute(request);
    if (!response.isSuccess()) {
      throw new IllegalStateException(response.getSubCode() + ": " + response.getSubMsg());
    }
    return response.getTradeNo();
  }

  /** WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED or TRADE_CLOSED. */
  public String tradeStatus(String orderNo) throws AlipayApiException {
    AlipayTradeQueryModel model = new AlipayTradeQueryModel();
    model.setOutTradeNo(orderNo);
    AlipayTradeQueryRequest request = new AlipayTradeQueryRequest();
    request.setBizModel(model);
    AlipayTradeQueryResponse response = client.execute(request);
    if (!response.isSuccess()) {
      throw new IllegalStateException(response.getSubCode() + ": " + response.getSubMsg());
    }
    return response.getTradeStatus();
  }

  /** Refunds part of the order; the same refundNo again never refunds twice. */
  public String refund(String orderNo, String amount, String refundNo)
      throws AlipayApiException {
    AlipayTradeRefundModel model = new AlipayTradeRefundModel();
    model.setOutTradeNo(orderNo);
    model.setRefundAmount(amount);
    model.setOutRequestNo(refundNo);
    model.setRefundReason("售罄");
    AlipayTradeRefundRequest request = new AlipayTradeRefundRequest();
    request.setBizModel(model);
    AlipayTradeRefundResponse response = client.execute(request);
    if (!response.isSuccess()) {
      throw new IllegalStateException(response.getSubCode() + ": " + response.getSubMsg());
    }
    return response.getRefundFee(); // the total refunded so far
  }

  /**
   * The notify URL's handler: the decoded form fields of Hutong's POST. Answers "success" (and
   * Hutong stops retrying) only for a genuine notification.
   */
  public String onNotification(Map<String, String> form) throws AlipayApiException {
    Map<String, String> params = new HashMap<>(form); // rsaCheckV1 removes sign and sign_type
    boolean genuine = AlipaySignature.rsaCheckV1(params, hutongPublicKey, form.get("charset"),
        form.get("sign_type"));
    if (!genuine) {
      return "fail";
    }
    // Look the order up by form.get("out_trade_no"), check total_amount, mark it paid
    // when trade_status is TRADE_SUCCESS; idempotently, as notifications repeat.
    return "success";
  }
}
