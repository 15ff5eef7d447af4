package dev.hutong.pay;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.Tx;
import dev.hutong.identity.User;
import dev.hutong.identity.UserStatus;
import dev.hutong.identity.Users;
import dev.hutong.ledger.Ids;
import dev.hutong.ledger.Ledger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Alipay's trade operations as a plain Java API: what the gateway calls for alipay.trade.create,
 * .precreate, .pay, .query, .refund, .fastpay.refund.query, .close and .cancel. Every refusal is
 * a {@link TradeException} carrying Alipay's sub_code. Amounts are fen; the gateway parses and
 * formats the edge strings with {@link Amounts} and times with {@link AlipayTimes}.
 *
 * <p>Thread-safe. Idempotency comes from the database (unique keys, row locks, conditional
 * updates) and the ledger (ids derived from stored rows), never from in-memory state, so it holds
 * across threads, processes and restarts.
 */
public final class TradeService {
  private static final int TRADE_NO_DRAWS_MAX = 4;
  private static final int QR_TOKEN_CHARS = 24;
  private static final Pattern QR_CODE = Pattern.compile("(?:.*/qr/)?([0-9a-z]{24})");
  /** The out_request_no of the refund a cancel makes: '#' can not occur in a merchant's own. */
  static final String CANCEL_REFUND_NO = "#cancel";

  final Jdbi jdbi;
  final Ledger ledger;
  final Users users;
  final Merchants merchants;
  final PaymentCodes codes;
  final PaySettings settings;
  final Clock clock;
  final Outbox outbox;
  final Payments payments;
  final Refunds refunds;
  final Risk risk;

  /**
   * @param notificationWakeup called after every commit that added a notification (wire it to
   *     {@link NotificationDispatcher#wake})
   */
  public TradeService(Jdbi jdbi, Ledger ledger, Users users, Merchants merchants, OpenIds openIds,
      PaymentCodes codes, PaySettings settings, Clock clock, Runnable notificationWakeup) {
    this.jdbi = jdbi;
    this.ledger = ledger;
    this.users = users;
    this.merchants = merchants;
    this.codes = codes;
    this.settings = settings;
    this.clock = clock;
    this.outbox = new Outbox(openIds, clock, notificationWakeup);
    this.risk = new Risk(jdbi, merchants, clock);
    this.payments = new Payments(jdbi, ledger, users, merchants, outbox, settings, clock, risk);
    this.refunds = new Refunds(jdbi, ledger, users, merchants, outbox, settings, clock);
  }

  /** Where users reach the platform (QR codes and download links start with it). */
  public String publicBaseUrl() {
    return settings.publicBaseUrl();
  }

  /** Risk control of every payment: rules, blocked payments. */
  public Risk risk() {
    return risk;
  }

  // ------------------------------------------------------------------ creating trades

  /** alipay.trade.create: a trade the named (or any) buyer confirms in the cashier. */
  public Trade create(CreateTradeRequest r) {
    requireBuyer(r, r.buyerUserId() == null || users.find(r.buyerUserId()).isPresent());
    return requireOpen(open(createSpec(r)));
  }

  private static Spec createSpec(CreateTradeRequest r) {
    return new Spec(r.appId(), r.merchantId(), r.outTradeNo(), ProductKind.CREATE,
        r.totalAmount(), r.subject(), r.body(), r.buyerUserId(), r.buyerByOpenId(),
        r.buyerUserId() != null, r.notifyUrl(), r.timeoutExpress(), r.timeExpire(),
        r.passbackParams());
  }

  private static void requireBuyer(CreateTradeRequest r, boolean found) {
    if (!found) {
      throw TradeException.invalid((r.buyerByOpenId() ? "buyer_open_id" : "buyer_id")
          + " names no user");
    }
  }

  /** The trade's merchant, if it may sell. */
  private static Merchant activeMerchant(Optional<Merchant> found, UUID id) {
    Merchant merchant = found.orElseThrow(() -> TradeException.invalid("no such merchant: " + id));
    if (merchant.status() != MerchantStatus.ACTIVE) {
      throw new TradeException(TradeError.SELLER_BEEN_BLOCKED);
    }
    return merchant;
  }

  /**
   * alipay.trade.create inside the caller's transaction {@code h}: the trade commits, or rolls
   * back, with what the caller writes beside it (booking: a hold, its claims and its trade in one
   * commit, so neither exists without the other, also across a crash). Same checks and answers as
   * {@link #create}; an existing trade with this out_trade_no and the same fields is returned if
   * still open (an expired one is TRADE_HAS_CLOSE: closing it is a write of its own).
   */
  public Trade createWithin(Handle h, CreateTradeRequest r) {
    requireBuyer(r, r.buyerUserId() == null || Users.find(h, r.buyerUserId()).isPresent());
    Spec spec = createSpec(r).validate();
    Merchant merchant = activeMerchant(Merchants.find(h, spec.merchantId()), spec.merchantId());
    Instant now = clock.instant();
    for (int draw = 1; draw <= TRADE_NO_DRAWS_MAX; draw++) {
      Optional<Trade> inserted = TradeStore.insert(h, newTrade(spec, merchant, now));
      if (inserted.isPresent()) {
        return inserted.get();
      }
      Optional<Trade> same = TradeStore.byOutTradeNo(h, spec.appId(), spec.outTradeNo());
      if (same.isPresent()) {
        requireConsistent(same.get(), spec);
        if (!now.isBefore(same.get().expiresAt())) {
          throw new TradeException(TradeError.TRADE_HAS_CLOSE, "the trade timed out");
        }
        return requireOpen(same.get());
      }
    }
    throw new TradeException(TradeError.SYSTEM_ERROR, "could not draw an unused trade number");
  }

  /**
   * alipay.trade.precreate: a trade anyone may pay by scanning its qr_code. Unlike Alipay, which
   * creates the trade only when it is scanned, the trade exists at once as WAIT_BUYER_PAY, so
   * alipay.trade.query finds it straight away.
   */
  public PrecreateResult precreate(PrecreateRequest r) {
    Trade t = requireOpen(open(new Spec(r.appId(), r.merchantId(), r.outTradeNo(),
        ProductKind.PRECREATE, r.totalAmount(), r.subject(), r.body(), null, false, false,
        r.notifyUrl(), r.timeoutExpress(), r.timeExpire(), r.passbackParams())));
    return new PrecreateResult(t, qrCode(t));
  }

  /**
   * alipay.trade.pay: the merchant scanned the buyer's payment code. Creates the trade (or takes
   * the unpaid one with this out_trade_no and the same fields) and pays it at once from the code's
   * owner's wallet. The code is spent even when the payment then fails (the buyer shows a new one).
   * A new out_trade_no (the common case) takes {@link #payNew}: one commit before the ledger; any
   * other case the general path below, which {@code payNew} falls back to with nothing written.
   */
  public Trade pay(PayRequest r) {
    Spec spec = new Spec(r.appId(), r.merchantId(), r.outTradeNo(), ProductKind.PAYMENT_CODE,
        r.totalAmount(), r.subject(), r.body(), null, false, false, r.notifyUrl(),
        r.timeoutExpress(), r.timeExpire(), r.passbackParams());
    spec.validate();
    if (r.authCode() == null || r.authCode().length() != PaymentCodes.CODE_DIGITS
        || !r.authCode().chars().allMatch(Character::isDigit)) {
      throw new TradeException(TradeError.PAYMENT_AUTH_CODE_INVALID);
    }
    Optional<Trade> paidNew = payNew(spec, r.authCode());
    if (paidNew.isPresent()) {
      return paidNew.get();
    }
    Optional<Trade> existing = Tx.read(jdbi, h -> TradeStore.byOutTradeNo(h, r.appId(),
        r.outTradeNo()));
    if (existing.isPresent()) {
      requireConsistent(existing.get(), spec);
      requireOpen(closeIfExpired(settleInFlight(existing.get())));
    }
    UUID payer = codes.redeem(r.authCode())
        .orElseThrow(() -> new TradeException(TradeError.PAYMENT_AUTH_CODE_INVALID));
    checkDayLimit(payer, r.totalAmount());
    Trade t = requireOpen(existing.isPresent() ? existing.get() : open(spec));
    return payments.pay(t.tradeNo(), payer);
  }

  /** What the payment-code transaction wrote, and the refusal to throw once it has committed. */
  private record CodeRedeemed(Trade trade, User buyer, Merchant merchant, TradeException refusal) {
    static CodeRedeemed refused(TradeException e) {
      return new CodeRedeemed(null, null, null, e);
    }
  }

  /**
   * Roll back, take the general path: the out_trade_no (or the drawn trade_no) is taken, or the
   * code is refused and an existing trade may have to answer instead (a paid one's resubmission
   * gets ACQ.TRADE_HAS_SUCCESS, not a spent-code error).
   */
  private static final class GeneralPath extends RuntimeException {
    GeneralPath() {
      super(null, null, false, false);
    }
  }

  /**
   * alipay.trade.pay of a new out_trade_no: spends the code, opens the trade and writes the payment
   * attempt (its transfer ids) in ONE transaction, then asks the ledger. All three had to be
   * durable before the ledger call anyway; one commit is one WAL flush instead of three. Empty,
   * with nothing written, when the out_trade_no already has a trade.
   */
  private Optional<Trade> payNew(Spec spec, String authCode) {
    CodeRedeemed done;
    try {
      done = Tx.run(jdbi, h -> redeemAndOpen(h, spec, authCode));
    } catch (GeneralPath e) {
      return Optional.empty();
    }
    if (done.refusal() != null) {
      throw done.refusal(); // the code stays spent (and the trade open), as on the general path
    }
    return Optional.of(payments.payBegun(done.trade(), done.buyer().walletAccountId(),
        done.merchant().settlementAccountId()));
  }

  /** The refusals keep the general path's order: code, day limit, merchant, then buyer. */
  private CodeRedeemed redeemAndOpen(Handle h, Spec spec, String authCode) {
    Instant now = clock.instant();
    UUID payer = PaymentCodes.redeem(h, authCode, now).orElseThrow(GeneralPath::new);
    if (dayLimitExceeded(h, payer, spec.total(), now)) {
      return refusedUnlessTaken(h, spec,
          new TradeException(TradeError.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR));
    }
    Merchant merchant = Merchants.find(h, spec.merchantId()).orElse(null);
    if (merchant == null || merchant.status() != MerchantStatus.ACTIVE) {
      return refusedUnlessTaken(h, spec, merchant == null
          ? TradeException.invalid("no such merchant: " + spec.merchantId())
          : new TradeException(TradeError.SELLER_BEEN_BLOCKED));
    }
    User buyer = Users.find(h, payer).orElse(null);
    Trade unpaid = newTrade(spec, merchant, now);
    TradeException refusal = buyer == null ? new TradeException(TradeError.USER_NOT_EXIST)
        : buyer.status() != UserStatus.ACTIVE ? new TradeException(TradeError.BUYER_ENABLE_STATUS_FORBID)
        : !now.isBefore(unpaid.expiresAt()) ? new TradeException(TradeError.TRADE_HAS_CLOSE, "the trade timed out")
        : null;
    Trade t = TradeStore.insert(h, refusal == null ? withAttempt(unpaid, payer, now) : unpaid)
        .orElseThrow(GeneralPath::new);
    return refusal != null ? CodeRedeemed.refused(refusal) : new CodeRedeemed(t, buyer, merchant, null);
  }

  /** A refusal before the trade's INSERT: only if no trade has the out_trade_no (it answers first). */
  private static CodeRedeemed refusedUnlessTaken(Handle h, Spec spec, TradeException refusal) {
    if (TradeStore.byOutTradeNo(h, spec.appId(), spec.outTradeNo()).isPresent()) {
      throw new GeneralPath();
    }
    return CodeRedeemed.refused(refusal);
  }

  /** The trade as {@link Payments#begin} leaves it: attempt 1 of {@code payer}, ids written. */
  private static Trade withAttempt(Trade t, UUID payer, Instant now) {
    Payments.AttemptIds ids = Payments.AttemptIds.of(t.tradeNo(), 1, t.feeAmount(), now);
    return new Trade(t.id(), t.tradeNo(), t.appId(), t.outTradeNo(), t.merchantId(), t.kind(),
        t.status(), t.subject(), t.body(), t.totalAmount(), t.feeRatePpm(), t.feeAmount(),
        t.buyerUserId(), t.buyerByOpenId(), t.buyerNamed(), t.notifyUrl(), t.passbackParams(),
        t.timeoutExpress(), t.expiresAt(), t.qrToken(), 1, payer, ids.pay(), ids.fee(), now,
        0, 0, 0, t.createdAt(), null, null, null, null);
  }

  /** A trade of a static collect code (Cashier.payCollectCode), idempotent by the buyer's request id. */
  Trade openCollectTrade(UUID merchantId, UUID buyer, long amount, String requestId) {
    Merchant m = merchants.find(merchantId)
        .orElseThrow(() -> new TradeException(TradeError.QR_CODE_INVALID));
    String out = "C" + Tokens.hex(dev.hutong.identity.DerivedIds.sha256(buyer + ":" + requestId), 15);
    return open(new Spec(null, merchantId, out, ProductKind.STATIC_COLLECT, amount,
        m.name(), null, buyer, false, true, null, "15m", null, null));
  }

  private record Spec(String appId, UUID merchantId, String outTradeNo, ProductKind kind,
      long total, String subject, String body, UUID buyer, boolean byOpenId, boolean named,
      String notifyUrl, String timeoutExpress, String timeExpire, String passback) {

    Spec validate() {
      if (kind != ProductKind.STATIC_COLLECT) {
        Fields.appId(appId);
      }
      Objects.requireNonNull(merchantId, "merchantId");
      Fields.outNo("out_trade_no", outTradeNo);
      Amounts.checkRange("total_amount", total);
      Fields.text("subject", subject, 256, true);
      Fields.text("body", body, 400, false);
      Fields.url("notify_url", notifyUrl);
      Fields.text("passback_params", passback, 512, false);
      return this;
    }
  }

  /** The trade with this out_trade_no: the existing one if its fields agree, else a new one. */
  private Trade open(Spec spec) {
    spec.validate();
    Optional<Trade> existing = findSame(spec);
    if (existing.isPresent()) {
      return closeIfExpired(settleInFlight(existing.get()));
    }
    Merchant merchant = activeMerchant(merchants.find(spec.merchantId()), spec.merchantId());
    Instant now = clock.instant();
    for (int draw = 1; draw <= TRADE_NO_DRAWS_MAX; draw++) {
      Trade t = newTrade(spec, merchant, now);
      Optional<Trade> inserted = Tx.run(jdbi, h -> TradeStore.insert(h, t));
      if (inserted.isPresent()) {
        return inserted.get();
      }
      existing = findSame(spec); // lost a race for the out_trade_no, or drew a taken trade_no
      if (existing.isPresent()) {
        return closeIfExpired(settleInFlight(existing.get()));
      }
    }
    throw new TradeException(TradeError.SYSTEM_ERROR, "could not draw an unused trade number");
  }

  /** A new unpaid trade of {@code spec} with a freshly drawn trade_no (and qr token). */
  private Trade newTrade(Spec spec, Merchant merchant, Instant now) {
    Instant expires = TradeTimeouts.expiry(now, spec.timeoutExpress(), spec.timeExpire(),
        settings.defaultTimeout());
    String timeoutText = spec.timeExpire() != null && !spec.timeExpire().isEmpty() ? null
        : spec.timeoutExpress() == null || spec.timeoutExpress().isEmpty() ? null
        : spec.timeoutExpress();
    return new Trade(Ids.next(), Tokens.tradeNo(now), spec.appId(), spec.outTradeNo(),
        spec.merchantId(), spec.kind(), TradeStatus.WAIT_BUYER_PAY, spec.subject(), spec.body(),
        spec.total(), merchant.feeRate().ppm(), merchant.feeRate().feeFor(spec.total()),
        spec.buyer(), spec.byOpenId(), spec.named(), spec.notifyUrl(), spec.passback(),
        timeoutText, expires,
        spec.kind() == ProductKind.PRECREATE ? Tokens.lower36(QR_TOKEN_CHARS) : null, 0, null,
        null, null, null, 0, 0, 0, now, null, null, null, null);
  }

  private Optional<Trade> findSame(Spec spec) {
    Optional<Trade> found = Tx.read(jdbi, h -> spec.appId() == null
        ? TradeStore.collectTrade(h, spec.merchantId(), spec.outTradeNo())
        : TradeStore.byOutTradeNo(h, spec.appId(), spec.outTradeNo()));
    found.ifPresent(t -> requireConsistent(t, spec));
    return found;
  }

  /** Same out_trade_no, same fields: the same trade. Anything else: ACQ.CONTEXT_INCONSISTENT. */
  private static void requireConsistent(Trade t, Spec spec) {
    boolean same = t.kind() == spec.kind() && t.merchantId().equals(spec.merchantId())
        && t.totalAmount() == spec.total() && t.subject().equals(spec.subject())
        && Objects.equals(emptyToNull(t.body()), emptyToNull(spec.body()))
        && (!spec.named() || (t.buyerNamed() && spec.buyer().equals(t.buyerUserId())))
        && (spec.named() || !t.buyerNamed());
    if (!same) {
      throw new TradeException(TradeError.CONTEXT_INCONSISTENT);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** An unpaid, open trade, or the error Alipay gives for a resubmission of a paid or closed one. */
  private static Trade requireOpen(Trade t) {
    return switch (t.status()) {
      case WAIT_BUYER_PAY -> t;
      case TRADE_SUCCESS, TRADE_FINISHED -> throw new TradeException(TradeError.TRADE_HAS_SUCCESS);
      case TRADE_CLOSED -> throw new TradeException(TradeError.TRADE_HAS_CLOSE);
    };
  }

  private void checkDayLimit(UUID payer, long amount) {
    long limit = settings.paymentCodeDayLimitFen();
    if (limit == 0) {
      return;
    }
    if (Tx.read(jdbi, h -> dayLimitExceeded(h, payer, amount, clock.instant()))) {
      throw new TradeException(TradeError.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR);
    }
  }

  /** True when {@code amount} would take the payer past the payment-code day limit (if one is set). */
  private boolean dayLimitExceeded(Handle h, UUID payer, long amount, Instant now) {
    long limit = settings.paymentCodeDayLimitFen();
    if (limit == 0) {
      return false;
    }
    LocalDate today = now.atZone(AlipayTimes.ZONE).toLocalDate();
    Instant dayStart = today.atStartOfDay(AlipayTimes.ZONE).toInstant();
    long paidToday = h.createQuery("SELECT coalesce(sum(total_amount), 0)"
            + " FROM pay_trade WHERE buyer_user_id = :u AND paid_at >= :start"
            + " AND kind = 'PAYMENT_CODE'")
        .bind("u", Tx.uuid(payer)).bind("start", Tx.at(dayStart)).mapTo(Long.class).one();
    return paidToday + amount > limit;
  }

  // ------------------------------------------------------------------ reading

  /** alipay.trade.query. An unpaid trade past its expiry is closed by this call. */
  public Trade query(TradeRef ref) {
    return closeIfExpired(find(ref));
  }

  /** The trade by its platform number, whatever app made it (the cashier's view). */
  public Trade byTradeNo(String tradeNo) {
    if (!Fields.isTradeNo(tradeNo)) {
      throw new TradeException(TradeError.TRADE_NOT_EXIST);
    }
    return closeIfExpired(Tx.read(jdbi, h -> TradeStore.byTradeNo(h, tradeNo))
        .orElseThrow(() -> new TradeException(TradeError.TRADE_NOT_EXIST)));
  }

  /** The precreated trade behind a qr_code (the full code or its bare token). */
  public Trade byQrCode(String qrCode) {
    if (qrCode == null || qrCode.length() > 512) {
      throw new TradeException(TradeError.QR_CODE_INVALID);
    }
    Matcher m = QR_CODE.matcher(qrCode.strip());
    if (!m.matches()) {
      throw new TradeException(TradeError.QR_CODE_INVALID);
    }
    return closeIfExpired(Tx.read(jdbi, h -> TradeStore.byQrToken(h, m.group(1)))
        .orElseThrow(() -> new TradeException(TradeError.QR_CODE_INVALID)));
  }

  /** The qr_code of a precreated trade: {@code <publicBaseUrl>/qr/<token>}; null for other kinds. */
  public String qrCode(Trade t) {
    return t.qrToken() == null ? null : settings.publicBaseUrl() + "/qr/" + t.qrToken();
  }

  /** The buyer's open_id in the trade's app (created on first use); null without buyer or app. */
  public String buyerOpenId(Trade t) {
    return outbox.buyerOpenId(t.appId(), t.buyerUserId());
  }

  /** The trade's refunds, oldest first. */
  public List<Refund> refunds(String tradeNo) {
    return Tx.read(jdbi, h -> TradeStore.refunds(h, tradeNo));
  }

  Trade find(TradeRef ref) {
    Fields.appId(ref.appId());
    boolean hasTradeNo = ref.tradeNo() != null && !ref.tradeNo().isEmpty();
    boolean hasOut = ref.outTradeNo() != null && !ref.outTradeNo().isEmpty();
    if (!hasTradeNo && !hasOut) {
      throw TradeException.invalid("trade_no or out_trade_no is required");
    }
    if (hasTradeNo && !Fields.isTradeNo(ref.tradeNo())) {
      throw new TradeException(TradeError.TRADE_NOT_EXIST);
    }
    return Tx.read(jdbi, h -> TradeStore.byRef(h, ref))
        .orElseThrow(() -> new TradeException(TradeError.TRADE_NOT_EXIST));
  }

  // ------------------------------------------------------------------ refunds

  /** alipay.trade.refund: partial or full, idempotent by out_request_no. */
  public RefundResult refund(RefundRequest r) {
    Amounts.checkRange("refund_amount", r.refundAmount());
    Fields.text("refund_reason", r.refundReason(), 256, false);
    Trade t = find(r.trade());
    String outRequestNo = r.outRequestNo() == null || r.outRequestNo().isEmpty()
        ? t.outTradeNo() : Fields.outNo("out_request_no", r.outRequestNo());
    return refunds.refund(t.tradeNo(), outRequestNo, r.refundAmount(), r.refundReason());
  }

  /** alipay.trade.fastpay.refund.query. out_request_no defaults to the out_trade_no, as in Alipay. */
  public RefundQuery refundQuery(TradeRef ref, String outRequestNo) {
    Trade t = find(ref);
    String key = outRequestNo == null || outRequestNo.isEmpty() ? t.outTradeNo() : outRequestNo;
    Refund r = Tx.read(jdbi, h -> TradeStore.refund(h, t.tradeNo(), key)).orElse(null);
    if (r != null && r.status() == RefundStatus.PROCESSING) {
      refunds.resolve(r.id());
      r = Tx.read(jdbi, h -> TradeStore.refund(h, t.tradeNo(), key)).orElseThrow();
    }
    return new RefundQuery(Tx.read(jdbi, h -> TradeStore.byTradeNo(h, t.tradeNo())).orElseThrow(), r);
  }

  // ------------------------------------------------------------------ closing

  /** alipay.trade.close: closes an unpaid trade; anything else is ACQ.TRADE_STATUS_ERROR. */
  public Trade close(TradeRef ref) {
    Trade t = settleInFlight(find(ref));
    if (t.status() != TradeStatus.WAIT_BUYER_PAY) {
      throw new TradeException(TradeError.TRADE_STATUS_ERROR,
          "only an unpaid trade can be closed; this one is " + t.status());
    }
    return closeUnpaid(t.tradeNo(), "CLOSED", false)
        .orElseThrow(() -> new TradeException(TradeError.TRADE_STATUS_ERROR,
            "the trade changed while closing: query it"));
  }

  /**
   * alipay.trade.cancel: an unpaid trade is closed (action "close"); a paid one is refunded in
   * full (action "refund"). Repeating a cancel answers the same.
   */
  public CancelResult cancel(TradeRef ref) {
    Trade t = settleInFlight(find(ref));
    switch (t.status()) {
      case WAIT_BUYER_PAY: {
        Optional<Trade> closed = closeUnpaid(t.tradeNo(), "CANCELLED", false);
        if (closed.isPresent()) {
          return new CancelResult(closed.get(), "close", false);
        }
        return cancel(ref); // paid meanwhile (bounded: a trade leaves WAIT_BUYER_PAY once)
      }
      case TRADE_SUCCESS: {
        long others = refunds(t.tradeNo()).stream()
            .filter(x -> x.status() != RefundStatus.FAILED && !x.outRequestNo().equals(CANCEL_REFUND_NO))
            .mapToLong(Refund::amount).sum();
        RefundResult done = refunds.refund(t.tradeNo(), CANCEL_REFUND_NO,
            t.receiptAmount() - others, "cancel");
        return new CancelResult(done.trade(), "refund", false);
      }
      case TRADE_CLOSED:
        return new CancelResult(t, t.paidAt() == null ? "close" : "refund", false);
      default:
        throw new TradeException(TradeError.TRADE_HAS_FINISHED);
    }
  }

  /** Settles an unresolved payment attempt first, so the trade's status is final for the caller. */
  Trade settleInFlight(Trade t) {
    if (!t.paymentInFlight()) {
      return t;
    }
    payments.resolve(t.tradeNo());
    Trade now = Tx.read(jdbi, h -> TradeStore.byTradeNo(h, t.tradeNo())).orElseThrow();
    if (now.paymentInFlight()) {
      throw new TradeException(TradeError.SYSTEM_ERROR,
          "a payment of this trade is being settled: query it again shortly");
    }
    return now;
  }

  Trade closeIfExpired(Trade t) {
    if (t.status() != TradeStatus.WAIT_BUYER_PAY || clock.instant().isBefore(t.expiresAt())) {
      return t;
    }
    Trade settled = settleInFlight(t);
    if (settled.status() != TradeStatus.WAIT_BUYER_PAY) {
      return settled;
    }
    return closeUnpaid(t.tradeNo(), "TIMEOUT", true)
        .orElseGet(() -> Tx.read(jdbi, h -> TradeStore.byTradeNo(h, t.tradeNo())).orElseThrow());
  }

  /**
   * Closes the trade if it is still unpaid with no payment attempt in flight (and, for timeouts,
   * past its expiry), adding its TRADE_CLOSED notification in the same transaction.
   */
  Optional<Trade> closeUnpaid(String tradeNo, String reason, boolean onlyIfExpired) {
    String openId = buyerOpenIdOf(tradeNo);
    Instant now = clock.instant();
    Optional<Trade> closed = Tx.run(jdbi, h -> {
      Optional<Trade> changed = h.createQuery("UPDATE pay_trade SET status = 'TRADE_CLOSED',"
              + " closed_at = :now, close_reason = :reason WHERE trade_no = :t"
              + " AND status = 'WAIT_BUYER_PAY' AND pay_transfer_id IS NULL"
              + (onlyIfExpired ? " AND expires_at <= :now" : "") + " RETURNING *")
          .bind("now", Tx.at(now)).bind("reason", reason).bind("t", tradeNo)
          .map(TradeStore::trade).findOne();
      changed.ifPresent(c -> outbox.enqueue(h, c, null, "closed", openId));
      return changed;
    });
    if (closed.isPresent()) {
      outbox.wake();
    }
    return closed;
  }

  private String buyerOpenIdOf(String tradeNo) {
    return Tx.read(jdbi, h -> TradeStore.byTradeNo(h, tradeNo)).map(this::buyerOpenId).orElse(null);
  }

  /** TRADE_SUCCESS → TRADE_FINISHED once the refund window has passed (no refund in progress). */
  Optional<Trade> finish(String tradeNo) {
    Instant now = clock.instant();
    Instant paidBefore = now.minus(settings.refundWindow());
    String openId = buyerOpenIdOf(tradeNo);
    Optional<Trade> finished = Tx.run(jdbi, h -> {
      Optional<Trade> changed = h.createQuery("UPDATE pay_trade SET status = 'TRADE_FINISHED',"
              + " finished_at = :now WHERE trade_no = :t AND status = 'TRADE_SUCCESS'"
              + " AND paid_at <= :before AND NOT EXISTS (SELECT 1 FROM pay_refund r"
              + " WHERE r.trade_no = :t AND r.status = 'PROCESSING') RETURNING *")
          .bind("now", Tx.at(now)).bind("t", tradeNo).bind("before", Tx.at(paidBefore))
          .map(TradeStore::trade).findOne();
      changed.ifPresent(c -> outbox.enqueue(h, c, null, "finished", openId));
      return changed;
    });
    if (finished.isPresent()) {
      outbox.wake();
    }
    return finished;
  }
}
