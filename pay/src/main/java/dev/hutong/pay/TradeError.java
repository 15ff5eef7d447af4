package dev.hutong.pay;

/**
 * Why a trade operation was refused, with Alipay's {@code sub_code} and {@code sub_msg} so that the
 * gateway answers exactly what a merchant's existing Alipay integration expects. The English hint
 * says what the caller should do. Codes not from Alipay (the cashier's) start with "CASHIER.".
 */
public enum TradeError {
  SYSTEM_ERROR("ACQ.SYSTEM_ERROR", "系统错误",
      "the platform could not finish in time; query the trade, or retry with the same parameters"),
  INVALID_PARAMETER("ACQ.INVALID_PARAMETER", "参数无效", "a parameter is missing or malformed"),
  TRADE_NOT_EXIST("ACQ.TRADE_NOT_EXIST", "交易不存在",
      "no trade with this trade_no / out_trade_no for this app"),
  CONTEXT_INCONSISTENT("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改",
      "this out_trade_no was used before with different fields: use a new out_trade_no"),
  TRADE_HAS_SUCCESS("ACQ.TRADE_HAS_SUCCESS", "交易已被支付",
      "the trade is paid already: query it instead of paying again"),
  TRADE_HAS_CLOSE("ACQ.TRADE_HAS_CLOSE", "交易已经关闭",
      "the trade is closed (timed out, closed or fully refunded): create a new trade"),
  TRADE_HAS_FINISHED("ACQ.TRADE_HAS_FINISHED", "交易已完结",
      "the trade is finished: its refund window has passed"),
  TRADE_STATUS_ERROR("ACQ.TRADE_STATUS_ERROR", "交易状态不合法",
      "the trade's status does not allow this operation: query it"),
  TRADE_BUYER_NOT_MATCH("ACQ.TRADE_BUYER_NOT_MATCH", "交易买家不匹配",
      "this trade was created for another buyer"),
  BUYER_BALANCE_NOT_ENOUGH("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足",
      "the buyer's wallet balance is not enough: top up and pay again"),
  BUYER_ENABLE_STATUS_FORBID("ACQ.BUYER_ENABLE_STATUS_FORBID", "买家状态非法",
      "the buyer's account is frozen"),
  BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR("ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR", "买家付款日限额超限",
      "the buyer reached today's limit for payment-code payments"),
  SELLER_BEEN_BLOCKED("ACQ.SELLER_BEEN_BLOCKED", "商家账号被冻结",
      "the merchant is frozen and can not take payments"),
  TOTAL_FEE_EXCEED("ACQ.TOTAL_FEE_EXCEED", "订单总金额超过限额",
      "the amount is above the merchant's per-payment limit: pay less, or ask the merchant to have its limit raised"),
  PRODUCT_AMOUNT_LIMIT_ERROR("ACQ.PRODUCT_AMOUNT_LIMIT_ERROR", "产品额度超限",
      "the merchant reached its daily limit: pay tomorrow, or ask the merchant to have its limit raised"),
  PAYMENT_REQUEST_HAS_RISK("ACQ.PAYMENT_REQUEST_HAS_RISK", "支付存在风险",
      "risk control refused this payment; the operator sees the reason"),
  PAYMENT_AUTH_CODE_INVALID("ACQ.PAYMENT_AUTH_CODE_INVALID", "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款",
      "the payment code is unknown, used or expired: ask the customer to refresh it"),
  SELLER_BALANCE_NOT_ENOUGH("ACQ.SELLER_BALANCE_NOT_ENOUGH", "卖家余额不足",
      "the merchant's settlement balance is less than the refund: retry with the same out_request_no after it is funded"),
  REFUND_AMT_NOT_EQUAL_TOTAL("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限",
      "the refunds would exceed the amount paid"),
  DISCORDANT_REPEAT_REQUEST("ACQ.DISCORDANT_REPEAT_REQUEST", "不一致的请求",
      "this out_request_no was used before with a different refund amount: use a new out_request_no"),
  TRADE_NOT_ALLOW_REFUND("ACQ.TRADE_NOT_ALLOW_REFUND", "当前交易不允许退款",
      "the trade has reached the most refunds allowed"),
  PIN_WRONG("CASHIER.PIN_WRONG", "支付密码错误", "the payment PIN is wrong"),
  PIN_LOCKED("CASHIER.PIN_LOCKED", "支付密码错误次数过多，已锁定",
      "too many wrong PINs: payments are locked for 15 minutes"),
  QR_CODE_INVALID("CASHIER.QR_CODE_INVALID", "二维码无效", "this QR code is not a Hutong payment code"),
  USER_NOT_EXIST("CASHIER.USER_NOT_EXIST", "用户不存在", "no such user");

  private final String subCode;
  private final String subMsg;
  private final String hint;

  TradeError(String subCode, String subMsg, String hint) {
    this.subCode = subCode;
    this.subMsg = subMsg;
    this.hint = hint;
  }

  /** Alipay's sub_code, e.g. ACQ.TRADE_NOT_EXIST. */
  public String subCode() {
    return subCode;
  }

  /** Alipay's sub_msg text for the code. */
  public String subMsg() {
    return subMsg;
  }

  /** What the caller should do, in English. */
  public String hint() {
    return hint;
  }

  /**
   * The gateway's top-level {@code code}: 20000 (service unavailable, retry or query) for a system
   * error, 40004 (business failed) for everything else.
   */
  public String gatewayCode() {
    return this == SYSTEM_ERROR ? "20000" : "40004";
  }

  /** The gateway's top-level {@code msg} matching {@link #gatewayCode()}. */
  public String gatewayMsg() {
    return this == SYSTEM_ERROR ? "Service Currently Unavailable" : "Business Failed";
  }
}
