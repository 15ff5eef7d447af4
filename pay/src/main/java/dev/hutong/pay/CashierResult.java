package dev.hutong.pay;

/**
 * A cashier payment that went through: {@code resultCode} is "9000" (my.tradePay's success code;
 * the merchant still learns the truth from the notification and alipay.trade.query).
 */
public record CashierResult(String resultCode, Trade trade) {
  public static final String SUCCESS = "9000";
}
