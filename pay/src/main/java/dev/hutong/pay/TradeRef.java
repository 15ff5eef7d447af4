package dev.hutong.pay;

/**
 * Which trade an operation is about, as Alipay names it: the platform's trade_no or the app's
 * out_trade_no (trade_no wins when both are given). A trade is only found through the app that
 * created it.
 */
public record TradeRef(String appId, String tradeNo, String outTradeNo) {
  public static TradeRef byTradeNo(String appId, String tradeNo) {
    return new TradeRef(appId, tradeNo, null);
  }

  public static TradeRef byOutTradeNo(String appId, String outTradeNo) {
    return new TradeRef(appId, null, outTradeNo);
  }
}
