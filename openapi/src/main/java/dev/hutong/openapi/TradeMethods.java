package dev.hutong.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.identity.OpenIds;
import dev.hutong.openapi.gateway.GatewayCall;
import dev.hutong.openapi.gateway.GatewayMethod;
import dev.hutong.openapi.gateway.GatewayResult;
import dev.hutong.pay.CancelResult;
import dev.hutong.pay.CreateTradeRequest;
import dev.hutong.pay.PayRequest;
import dev.hutong.pay.PrecreateRequest;
import dev.hutong.pay.PrecreateResult;
import dev.hutong.pay.Refund;
import dev.hutong.pay.RefundQuery;
import dev.hutong.pay.RefundRequest;
import dev.hutong.pay.RefundResult;
import dev.hutong.pay.RefundStatus;
import dev.hutong.pay.Trade;
import dev.hutong.pay.TradeException;
import dev.hutong.pay.TradeRef;
import dev.hutong.pay.TradeService;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The alipay.trade.* methods: each maps Alipay's biz_content fields onto {@link TradeService} and
 * the result onto Alipay's response fields (names as the SDK's response classes declare them).
 * The app's merchant receives the money; the app sees only its own trades (every lookup is by
 * app_id and trade_no or out_trade_no), and buyers only by their open_id in the app, unless the
 * app itself named the buyer by buyer_id.
 */
final class TradeMethods {
  static final String CREATE = "alipay.trade.create";
  static final String PRECREATE = "alipay.trade.precreate";
  static final String PAY = "alipay.trade.pay";
  static final String QUERY = "alipay.trade.query";
  static final String REFUND = "alipay.trade.refund";
  static final String REFUND_QUERY = "alipay.trade.fastpay.refund.query";
  static final String CLOSE = "alipay.trade.close";
  static final String CANCEL = "alipay.trade.cancel";
  /** alipay.trade.pay's scenes: a scanned barcode or a sound-wave code, both a payment code. */
  static final Set<String> PAY_SCENES = Set.of("bar_code", "wave_code");

  private final TradeService trades;
  private final OpenIds openIds;
  private final AppRegistry apps;
  private final NotifyUrlPolicy notifyUrls;

  TradeMethods(TradeService trades, OpenIds openIds, AppRegistry apps, NotifyUrlPolicy notifyUrls) {
    this.trades = trades;
    this.openIds = openIds;
    this.apps = apps;
    this.notifyUrls = notifyUrls;
  }

  Map<String, GatewayMethod> methods() {
    Map<String, GatewayMethod> m = new LinkedHashMap<>();
    m.put(CREATE, call -> answer(call, this::create));
    m.put(PRECREATE, call -> answer(call, this::precreate));
    m.put(PAY, call -> answer(call, this::pay));
    m.put(QUERY, call -> answer(call, this::query));
    m.put(REFUND, call -> answer(call, this::refund));
    m.put(REFUND_QUERY, call -> answer(call, this::refundQuery));
    m.put(CLOSE, call -> answer(call, this::close));
    m.put(CANCEL, call -> answer(call, this::cancel));
    return m;
  }

  private static GatewayResult answer(GatewayCall call, Function<GatewayCall, ObjectNode> method) {
    try {
      return GatewayResult.success(method.apply(call));
    } catch (TradeException e) {
      return Replies.error(e);
    } catch (GatewayFailure e) {
      return e.error();
    }
  }

  // ------------------------------------------------------------------ creating trades

  private ObjectNode create(GatewayCall call) {
    Biz b = new Biz(call.bizContent());
    String appId = call.app().appId();
    String buyerId = b.text("buyer_id");
    String buyerOpenId = b.text("buyer_open_id");
    if (buyerId != null && buyerOpenId != null) {
      throw Biz.invalid("give buyer_id or buyer_open_id, not both");
    }
    UUID buyer = null;
    if (buyerId != null) {
      buyer = parseUserId(buyerId);
    } else if (buyerOpenId != null) {
      buyer = openIds.userFor(appId, buyerOpenId).orElseThrow(() -> Biz.invalid(
          "buyer_open_id names no user of this app (open_ids differ from app to app)"));
    }
    long total = b.amount("total_amount");
    String notifyUrl = notifyUrl(call);
    apps.noteCharset(appId, call.charset());
    Trade t = trades.create(new CreateTradeRequest(appId, merchantOf(call), b.text("out_trade_no"),
        total, b.text("subject"), b.text("body"), buyer, buyerOpenId != null, notifyUrl,
        b.text("timeout_express"), b.text("time_expire"), b.text("passback_params")));
    return new Replies().text("trade_no", t.tradeNo()).text("out_trade_no", t.outTradeNo())
        .fields();
  }

  private ObjectNode precreate(GatewayCall call) {
    Biz b = new Biz(call.bizContent());
    String appId = call.app().appId();
    long total = b.amount("total_amount");
    String notifyUrl = notifyUrl(call);
    apps.noteCharset(appId, call.charset());
    PrecreateResult r = trades.precreate(new PrecreateRequest(appId, merchantOf(call),
        b.text("out_trade_no"), total, b.text("subject"), b.text("body"), notifyUrl,
        b.text("timeout_express"), b.text("time_expire"), b.text("passback_params")));
    return new Replies().text("out_trade_no", r.trade().outTradeNo()).text("qr_code", r.qrCode())
        .fields();
  }

  private ObjectNode pay(GatewayCall call) {
    Biz b = new Biz(call.bizContent());
    String appId = call.app().appId();
    String scene = b.text("scene");
    if (scene == null || !PAY_SCENES.contains(scene)) {
      throw Biz.invalid("scene must be bar_code (a scanned payment code) or wave_code, not "
          + (scene == null ? "missing" : "'" + scene + "'"));
    }
    long total = b.amount("total_amount");
    String notifyUrl = notifyUrl(call);
    apps.noteCharset(appId, call.charset());
    Trade t = trades.pay(new PayRequest(appId, merchantOf(call), b.text("out_trade_no"),
        b.text("auth_code"), total, b.text("subject"), b.text("body"), notifyUrl,
        b.text("timeout_express"), b.text("time_expire"), b.text("passback_params")));
    Replies r = new Replies().text("trade_no", t.tradeNo()).text("out_trade_no", t.outTradeNo());
    buyer(t, r);
    return r.amount("total_amount", t.totalAmount())
        .amount("receipt_amount", t.receiptAmount())
        .amount("buyer_pay_amount", t.buyerPayAmount())
        .amount("invoice_amount", t.receiptAmount())
        .amount("point_amount", 0)
        .time("gmt_payment", t.paidAt())
        .walletBill("fund_bill_list", t.receiptAmount())
        .fields();
  }

  // ------------------------------------------------------------------ reading

  private ObjectNode query(GatewayCall call) {
    Trade t = trades.query(ref(call));
    Replies r = new Replies().text("trade_no", t.tradeNo()).text("out_trade_no", t.outTradeNo());
    buyer(t, r);
    r.text("trade_status", t.status().name())
        .amount("total_amount", t.totalAmount())
        .amount("receipt_amount", t.receiptAmount())
        .amount("buyer_pay_amount", t.buyerPayAmount())
        .amount("invoice_amount", t.receiptAmount())
        .amount("point_amount", 0)
        .time("send_pay_date", t.paidAt())
        .text("subject", t.subject())
        .text("body", t.body())
        .text("passback_params", t.passbackParams());
    if (t.paidAt() != null) {
      r.walletBill("fund_bill_list", t.receiptAmount());
    }
    return r.fields();
  }

  // ------------------------------------------------------------------ refunds

  private ObjectNode refund(GatewayCall call) {
    Biz b = new Biz(call.bizContent());
    TradeRef ref = ref(call);
    long amount = b.amount("refund_amount");
    RefundResult result = trades.refund(new RefundRequest(ref, amount, b.text("out_request_no"),
        b.text("refund_reason")));
    Trade t = result.trade();
    Refund refund = result.refund();
    Replies r = new Replies().text("trade_no", t.tradeNo()).text("out_trade_no", t.outTradeNo());
    buyer(t, r);
    return r.text("fund_change", result.fundChange() ? "Y" : "N")
        .amount("refund_fee", t.refundAmount())
        .time("gmt_refund_pay", refund.refundedAt())
        .amount("send_back_fee", refund.amount())
        .walletBill("refund_detail_item_list", refund.amount())
        .fields();
  }

  /**
   * Refund fields only for a successful refund: Alipay's rule for merchants is that a query
   * answering the refund means it succeeded, and no answer means it did not (yet).
   */
  private ObjectNode refundQuery(GatewayCall call) {
    Biz b = new Biz(call.bizContent());
    RefundQuery q = trades.refundQuery(ref(call), b.text("out_request_no"));
    Trade t = q.trade();
    Replies r = new Replies().text("trade_no", t.tradeNo()).text("out_trade_no", t.outTradeNo());
    Refund refund = q.refund();
    if (refund != null && refund.status() == RefundStatus.SUCCESS) {
      r.text("out_request_no", refund.outRequestNo())
          .amount("total_amount", t.totalAmount())
          .amount("refund_amount", refund.amount())
          .text("refund_status", refund.status().alipayStatus())
          .time("gmt_refund_pay", refund.refundedAt())
          .text("refund_reason", refund.reason())
          .amount("send_back_fee", refund.amount())
          .walletBill("refund_detail_item_list", refund.amount());
    }
    return r.fields();
  }

  // ------------------------------------------------------------------ closing

  private ObjectNode close(GatewayCall call) {
    Trade t = trades.close(ref(call));
    return new Replies().text("trade_no", t.tradeNo()).text("out_trade_no", t.outTradeNo())
        .fields();
  }

  private ObjectNode cancel(GatewayCall call) {
    CancelResult c = trades.cancel(ref(call));
    Trade t = c.trade();
    Replies r = new Replies().text("trade_no", t.tradeNo()).text("out_trade_no", t.outTradeNo())
        .text("retry_flag", c.retry() ? "Y" : "N").text("action", c.action());
    if ("refund".equals(c.action())) {
      trades.refunds(t.tradeNo()).stream()
          .filter(x -> x.status() == RefundStatus.SUCCESS)
          .max(Comparator.comparing(Refund::refundedAt))
          .ifPresent(x -> r.time("gmt_refund_pay", x.refundedAt()));
    }
    return r.fields();
  }

  // ------------------------------------------------------------------ shared

  /** trade_no wins over out_trade_no, as in Alipay; always within the calling app. */
  private static TradeRef ref(GatewayCall call) {
    Biz b = new Biz(call.bizContent());
    return new TradeRef(call.app().appId(), b.text("trade_no"), b.text("out_trade_no"));
  }

  private static UUID merchantOf(GatewayCall call) {
    return UUID.fromString(call.app().merchantId());
  }

  /**
   * Where the trade's notifications go: the request's notify_url (checked like a registered one:
   * in public mode, never into a private network) or the app's default.
   */
  private String notifyUrl(GatewayCall call) {
    String requested = call.param("notify_url").orElse(null);
    if (requested != null) {
      try {
        notifyUrls.check(requested);
      } catch (OpenApiException e) {
        throw Biz.invalid("notify_url: " + e.getMessage());
      }
    }
    return call.notifyUrl().orElse(null);
  }

  /**
   * buyer_open_id whenever the trade has a buyer; buyer_user_id only when the app itself named the
   * buyer by buyer_id (it knew the id already). Apps otherwise never see internal user ids.
   */
  private void buyer(Trade t, Replies r) {
    if (t.buyerUserId() == null) {
      return;
    }
    r.text("buyer_open_id", trades.buyerOpenId(t));
    if (t.buyerNamed() && !t.buyerByOpenId()) {
      r.text("buyer_user_id", t.buyerUserId().toString());
    }
  }

  private static UUID parseUserId(String buyerId) {
    try {
      if (buyerId.length() == 36) {
        return UUID.fromString(buyerId);
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw Biz.invalid("buyer_id names no user (it is the user's id, a UUID); apps that know "
        + "their users by open_id send buyer_open_id");
  }
}
