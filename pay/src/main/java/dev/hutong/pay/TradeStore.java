package dev.hutong.pay;

import dev.hutong.identity.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The SQL over pay_trade and pay_refund. Every method runs in the caller's handle. */
final class TradeStore {
  private TradeStore() {}

  static Optional<Trade> byTradeNo(Handle h, String tradeNo) {
    return h.createQuery("SELECT * FROM pay_trade WHERE trade_no = :t").bind("t", tradeNo)
        .map(TradeStore::trade).findOne();
  }

  /** The trade's row, locked until the transaction ends. */
  static Optional<Trade> lock(Handle h, String tradeNo) {
    return h.createQuery("SELECT * FROM pay_trade WHERE trade_no = :t FOR UPDATE")
        .bind("t", tradeNo).map(TradeStore::trade).findOne();
  }

  /** Alipay's lookup: trade_no wins when given; either way the trade must belong to the app. */
  static Optional<Trade> byRef(Handle h, TradeRef ref) {
    if (ref.tradeNo() != null && !ref.tradeNo().isEmpty()) {
      return byTradeNo(h, ref.tradeNo()).filter(t -> ref.appId() != null
          && ref.appId().equals(t.appId()));
    }
    return byOutTradeNo(h, ref.appId(), ref.outTradeNo());
  }

  static Optional<Trade> byOutTradeNo(Handle h, String appId, String outTradeNo) {
    return h.createQuery("SELECT * FROM pay_trade WHERE app_id = :app AND out_trade_no = :out")
        .bind("app", appId).bind("out", outTradeNo).map(TradeStore::trade).findOne();
  }

  static Optional<Trade> collectTrade(Handle h, UUID merchantId, String outTradeNo) {
    return h.createQuery("SELECT * FROM pay_trade WHERE app_id IS NULL AND merchant_id = :m"
            + " AND out_trade_no = :out")
        .bind("m", Tx.uuid(merchantId)).bind("out", outTradeNo).map(TradeStore::trade).findOne();
  }

  static Optional<Trade> byQrToken(Handle h, String token) {
    return h.createQuery("SELECT * FROM pay_trade WHERE qr_token = :q").bind("q", token)
        .map(TradeStore::trade).findOne();
  }

  /**
   * Inserts the trade (with its payment attempt, if it has one) unless any unique key (trade_no,
   * out_trade_no, qr_token) is taken; returns the stored row, or empty when a key was taken.
   */
  static Optional<Trade> insert(Handle h, Trade t) {
    return h.createQuery("""
            INSERT INTO pay_trade (id, trade_no, app_id, out_trade_no, merchant_id, kind, status,
              subject, body, total_amount, fee_rate_ppm, fee_amount, buyer_user_id, buyer_by_open_id,
              buyer_named, notify_url, passback_params, timeout_express, expires_at, qr_token,
              created_at, pay_attempt, pay_user_id, pay_transfer_id, fee_transfer_id, pay_intent_at)
            VALUES (:id, :tradeNo, :app, :out, :merchant, :kind, 'WAIT_BUYER_PAY', :subject, :body,
              :total, :ppm, :fee, :buyer, :byOpenId, :named, :notify, :passback, :timeout, :expires,
              :qr, :created, :attempt, :payer, :payId, :feeId, :intentAt)
            ON CONFLICT DO NOTHING RETURNING *""")
        .bind("id", Tx.uuid(t.id())).bind("tradeNo", t.tradeNo()).bind("app", t.appId())
        .bind("out", t.outTradeNo()).bind("merchant", Tx.uuid(t.merchantId()))
        .bind("kind", t.kind().name()).bind("subject", t.subject()).bind("body", t.body())
        .bind("total", t.totalAmount()).bind("ppm", t.feeRatePpm()).bind("fee", t.feeAmount())
        .bind("buyer", Tx.uuid(t.buyerUserId())).bind("byOpenId", t.buyerByOpenId())
        .bind("named", t.buyerNamed()).bind("notify", t.notifyUrl())
        .bind("passback", t.passbackParams()).bind("timeout", t.timeoutExpress())
        .bind("expires", Tx.at(t.expiresAt())).bind("qr", t.qrToken())
        .bind("created", Tx.at(t.createdAt())).bind("attempt", t.payAttempt())
        .bind("payer", Tx.uuid(t.payUserId())).bind("payId", Tx.uuid(t.payTransferId()))
        .bind("feeId", Tx.uuid(t.feeTransferId())).bind("intentAt", Tx.at(t.payIntentAt()))
        .map(TradeStore::trade).findOne();
  }

  static Optional<Refund> refund(Handle h, String tradeNo, String outRequestNo) {
    return h.createQuery("SELECT * FROM pay_refund WHERE trade_no = :t AND out_request_no = :r")
        .bind("t", tradeNo).bind("r", outRequestNo).map(TradeStore::refundRow).findOne();
  }

  static Optional<Refund> refundById(Handle h, UUID id) {
    return h.createQuery("SELECT * FROM pay_refund WHERE id = :id").bind("id", Tx.uuid(id))
        .map(TradeStore::refundRow).findOne();
  }

  static List<Refund> refunds(Handle h, String tradeNo) {
    return h.createQuery("SELECT * FROM pay_refund WHERE trade_no = :t ORDER BY created_at, id")
        .bind("t", tradeNo).map(TradeStore::refundRow).list();
  }

  static Trade trade(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Trade(Tx.uuid(rs, "id"), rs.getString("trade_no"), rs.getString("app_id"),
        rs.getString("out_trade_no"), Tx.uuid(rs, "merchant_id"),
        ProductKind.valueOf(rs.getString("kind")), TradeStatus.valueOf(rs.getString("status")),
        rs.getString("subject"), rs.getString("body"), rs.getLong("total_amount"),
        rs.getInt("fee_rate_ppm"), rs.getLong("fee_amount"), Tx.uuid(rs, "buyer_user_id"),
        rs.getBoolean("buyer_by_open_id"), rs.getBoolean("buyer_named"),
        rs.getString("notify_url"), rs.getString("passback_params"),
        rs.getString("timeout_express"), Tx.instant(rs, "expires_at"), rs.getString("qr_token"),
        rs.getInt("pay_attempt"), Tx.uuid(rs, "pay_user_id"), Tx.uuid(rs, "pay_transfer_id"),
        Tx.uuid(rs, "fee_transfer_id"), Tx.instant(rs, "pay_intent_at"),
        rs.getLong("receipt_amount"), rs.getLong("refund_amount"), rs.getLong("fee_refunded"),
        Tx.instant(rs, "created_at"), Tx.instant(rs, "paid_at"), Tx.instant(rs, "closed_at"),
        Tx.instant(rs, "finished_at"), rs.getString("close_reason"));
  }

  static Refund refundRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Refund(Tx.uuid(rs, "id"), rs.getString("trade_no"), rs.getString("out_request_no"),
        rs.getLong("amount"), rs.getLong("fee_refund"), rs.getString("reason"),
        RefundStatus.valueOf(rs.getString("status")), rs.getInt("attempt"),
        Tx.uuid(rs, "refund_transfer_id"), Tx.uuid(rs, "fee_refund_transfer_id"),
        Tx.instant(rs, "attempt_at"), Tx.instant(rs, "created_at"), Tx.instant(rs, "refunded_at"),
        rs.getString("failure"));
  }
}
