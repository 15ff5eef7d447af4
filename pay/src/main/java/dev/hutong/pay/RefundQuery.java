package dev.hutong.pay;

/**
 * The answer to alipay.trade.fastpay.refund.query: the trade, and the refund with that
 * out_request_no, or null when there is none (Alipay then answers success without refund fields).
 */
public record RefundQuery(Trade trade, Refund refund) {}
