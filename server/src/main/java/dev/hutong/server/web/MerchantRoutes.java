package dev.hutong.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.FundingResult;
import dev.hutong.identity.IdentityError;
import dev.hutong.identity.IdentityException;
import dev.hutong.identity.LoginRateLimiter;
import dev.hutong.identity.MerchantOnboarding;
import dev.hutong.identity.MerchantProfile;
import dev.hutong.identity.MerchantStaff;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.NewOnboarding;
import dev.hutong.identity.SessionRole;
import dev.hutong.identity.StaffMember;
import dev.hutong.openapi.AppInfo;
import dev.hutong.openapi.AppRegistration;
import dev.hutong.openapi.AppRegistry;
import dev.hutong.openapi.OpenApiException;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.AlipayTimes;
import dev.hutong.pay.Amounts;
import dev.hutong.pay.CollectCodes;
import dev.hutong.pay.MerchantTrades;
import dev.hutong.pay.NotificationLog;
import dev.hutong.pay.ProductKind;
import dev.hutong.pay.Refund;
import dev.hutong.pay.RefundResult;
import dev.hutong.pay.Settlement;
import dev.hutong.pay.SettlementSummary;
import dev.hutong.pay.Statements;
import dev.hutong.pay.Trade;
import dev.hutong.pay.TradeException;
import dev.hutong.pay.TradeStatus;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The merchant portal's JSON API under {@code /merchant/api/} (docs/merchants.md lists every
 * endpoint). Every endpoint but onboarding and log-in needs a MERCHANT_STAFF session; the
 * merchant is always the logged-in staff member's, never a parameter, so one merchant can never
 * name another's trades, money or apps (those answer 404 as if they did not exist). Payouts and
 * apps are for the OWNER; cashiers see payments and refund them. Money-moving calls take an
 * {@code Idempotency-Key} header.
 */
public final class MerchantRoutes implements Routes {
  static final String API = "/merchant/api";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{8,64}");
  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** What the portal calls; all built by the composition root. */
  public record Services(Merchants merchants, MerchantStaff staff, MerchantOnboarding onboarding,
      CollectCodes collectCodes, MerchantTrades trades, Settlement settlement,
      Statements statements, AppRegistry apps, String platformPublicKey,
      NotificationLog notifications, LoginRateLimiter loginLimiter) {}

  private final Services s;
  private final WebAuth auth;
  private final JsonApi api;

  public MerchantRoutes(Services services, WebAuth auth, ObjectMapper mapper) {
    this.s = services;
    this.auth = auth;
    this.api = new JsonApi(mapper);
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing
        .post(API + "/onboard", api.wrap(this::onboard))
        .post(API + "/login", api.wrap(this::logIn))
        .post(API + "/logout", api.wrap(this::logOut))
        .get(API + "/me", api.wrap(this::me))
        .post(API + "/staff", api.wrap(this::addCashier))
        .get(API + "/collect-code", api.wrap(this::collectCode))
        .get(API + "/collect-code.svg", api.wrap(this::collectSvg))
        .get(API + "/collect-code.png", api.wrap(this::collectPng))
        .get(API + "/trades", api.wrap(this::trades))
        .get(API + "/trades/{tradeNo}", api.wrap(this::trade))
        .post(API + "/trades/{tradeNo}/refunds", api.wrap(this::refund))
        .get(API + "/live", api.wrap(this::live))
        .get(API + "/money", api.wrap(this::money))
        .post(API + "/payouts", api.wrap(this::payout))
        .get(API + "/statements/{day}", api.wrap(this::statement))
        .get(API + "/apps", api.wrap(this::apps))
        .post(API + "/apps", api.wrap(this::createApp))
        .get(API + "/apps/{appId}/notifications", api.wrap(this::notifications))
        .post(API + "/apps/{appId}/notifications/{id}/retry", api.wrap(this::retry));
  }

  // ------------------------------------------------------------------ account

  private Object onboard(ServerRequest request, ServerResponse response) {
    auth.csrf().checkOrigin(request);
    JsonBody b = JsonBody.read(request, Set.of("business_name", "category", "city", "phone",
        "password", "bank_holder", "bank_account_no"));
    String phone = b.required("phone");
    limit(request, phone);
    MerchantOnboarding.Onboarded o;
    try {
      o = s.onboarding().onboard(new NewOnboarding(b.required("business_name"),
          b.optional("category").orElse(null), b.required("city"), phone, b.required("password"),
          b.required("bank_holder"), b.required("bank_account_no")));
    } catch (IdentityException e) {
      // A taken login answers a repeat of the same form, so a wrong password here counts as a
      // failed login: onboarding can not be used to guess an owner's password.
      if (e.error() == IdentityError.LOGIN_TAKEN) {
        s.loginLimiter().failed(phone);
      }
      throw e;
    }
    Principal p = auth.logIn(response, SessionRole.MERCHANT_STAFF, o.owner().id());
    response.status(Status.CREATED_201);
    return JsonApi.fields("merchant", view(o.profile()), "staff", view(o.owner()),
        "csrf_token", p.csrfToken());
  }

  private Object logIn(ServerRequest request, ServerResponse response) {
    auth.csrf().checkOrigin(request);
    JsonBody b = JsonBody.read(request, Set.of("phone", "password"));
    String phone = b.required("phone");
    limit(request, phone);
    StaffMember staff;
    try {
      staff = s.staff().login(phone, b.required("password"));
    } catch (RuntimeException e) {
      s.loginLimiter().failed(phone);
      throw e;
    }
    s.loginLimiter().succeeded(phone);
    Principal p = auth.logIn(response, SessionRole.MERCHANT_STAFF, staff.id());
    return JsonApi.fields("staff", view(staff), "csrf_token", p.csrfToken());
  }

  private Object logOut(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.MERCHANT_STAFF);
    auth.logOut(request, response, SessionRole.MERCHANT_STAFF);
    return JsonApi.fields("logged_out", true);
  }

  private Object me(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    return JsonApi.fields("merchant", view(profile(st)), "staff", view(st.member()),
        "csrf_token", st.principal().csrfToken());
  }

  /** The owner adds a cashier login (cashiers see payments and refund; no payouts, no apps). */
  private Object addCashier(ServerRequest request, ServerResponse response) {
    Staff st = owner(request);
    JsonBody b = JsonBody.read(request, Set.of("phone", "password"));
    StaffMember c = s.staff().addCashier(st.merchantId(), b.required("phone"), b.required("password"));
    response.status(Status.CREATED_201);
    return JsonApi.fields("staff", view(c));
  }

  // ------------------------------------------------------------------ collect code

  private Object collectCode(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    return JsonApi.fields("code", s.collectCodes().codeFor(st.merchantId()));
  }

  private Object collectSvg(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    String svg = CollectPosters.svg(profile(st).merchant().name(),
        s.collectCodes().codeFor(st.merchantId()));
    return download(response, "image/svg+xml", "collect-code.svg",
        svg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Object collectPng(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    byte[] png = CollectPosters.png(profile(st).merchant().name(),
        s.collectCodes().codeFor(st.merchantId()));
    return download(response, "image/png", "collect-code.png", png);
  }

  // ------------------------------------------------------------------ trades

  private Object trades(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    var q = request.query();
    MerchantTrades.Filter f = new MerchantTrades.Filter(
        q.first("status").map(v -> parseEnum(TradeStatus.class, "status", v)).orElse(null),
        q.first("kind").map(v -> parseEnum(ProductKind.class, "kind", v)).orElse(null),
        q.first("from").map(v -> dayStart(v, "from")).orElse(null),
        q.first("to").map(v -> dayStart(v, "to").plus(Duration.ofDays(1))).orElse(null),
        q.first("min").map(v -> amount("min", v)).orElse(null),
        q.first("max").map(v -> amount("max", v)).orElse(null),
        q.first("q").orElse(null));
    Instant before = q.first("before").map(v -> instant("before", v)).orElse(null);
    List<Trade> list = s.trades().list(st.merchantId(), f, before, 50);
    return JsonApi.fields("trades", list.stream().map(MerchantRoutes::view).toList(),
        "next_before", list.size() == 50 ? list.get(49).createdAt().toEpochMilli() : null);
  }

  private Object trade(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    String tradeNo = request.path().pathParameters().get("tradeNo");
    Trade t = s.trades().get(st.merchantId(), tradeNo);
    return JsonApi.fields("trade", view(t), "refunds",
        s.trades().refunds(st.merchantId(), tradeNo).stream().map(MerchantRoutes::view).toList());
  }

  private Object refund(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    String key = idempotencyKey(request);
    JsonBody b = JsonBody.read(request, Set.of("amount", "reason"));
    RefundResult r = s.trades().refund(st.merchantId(), request.path().pathParameters()
        .get("tradeNo"), amount("amount", b.required("amount")), key, b.optional("reason")
        .orElse(null));
    return JsonApi.fields("trade", view(r.trade()), "refund", view(r.refund()),
        "fund_change", r.fundChange());
  }

  /** Payments paid after {@code since} (epoch ms): the portal polls this every two seconds. */
  private Object live(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    Instant since = request.query().first("since").map(v -> instant("since", v))
        .orElse(Instant.now().minusSeconds(60));
    List<Trade> paid = s.trades().paidSince(st.merchantId(), since, 50);
    return JsonApi.fields("payments", paid.stream().map(MerchantRoutes::view).toList(),
        "until", paid.isEmpty() ? since.toEpochMilli()
            : paid.get(paid.size() - 1).paidAt().toEpochMilli());
  }

  // ------------------------------------------------------------------ money

  private Object money(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    SettlementSummary m = s.settlement().summary(st.merchantId());
    return JsonApi.fields("balance", Amounts.format(m.balanceFen()),
        "gross", Amounts.format(m.grossFen()), "fees", Amounts.format(m.feesFen()),
        "refunded", Amounts.format(m.refundedFen()),
        "fees_returned", Amounts.format(m.feesReturnedFen()),
        "paid_out", Amounts.format(m.paidOutFen()),
        "next_sweep", Amounts.format(m.settleableFen()),
        "channel", m.channel(), "simulated", m.simulatedChannel(),
        "fee_rate", profile(st).merchant().feeRate().format(),
        "payouts", s.settlement().payouts(st.merchantId(), 50).stream()
            .map(MerchantRoutes::view).toList());
  }

  private Object payout(ServerRequest request, ServerResponse response) {
    Staff st = owner(request);
    String key = idempotencyKey(request);
    JsonBody b = JsonBody.read(request, Set.of("amount"));
    FundingResult r = s.settlement().payout(st.merchantId(), amount("amount", b.required("amount")),
        key);
    if (!r.succeeded()) {
      response.status(Status.CONFLICT_409);
      return JsonApi.fields("error", "IDENTITY." + r.failure(), "message",
          "the payout failed: the settlement balance is less than the amount", "payout", view(r));
    }
    return JsonApi.fields("payout", view(r));
  }

  private Object statement(ServerRequest request, ServerResponse response) {
    Staff st = staff(request);
    String day = request.path().pathParameters().get("day");
    if (!day.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}\\.csv")) {
      throw WebException.badRequest("invalid_day", "ask for <yyyy-MM-dd>.csv");
    }
    LocalDate date = LocalDate.parse(day.substring(0, 10));
    String csv = s.statements().day(st.merchantId(), date);
    return download(response, "text/csv; charset=utf-8", "statement-" + day,
        csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ open-platform apps

  private Object apps(ServerRequest request, ServerResponse response) {
    Staff st = owner(request);
    return JsonApi.fields("apps", s.apps().appsOf(st.merchantId()).stream()
        .map(MerchantRoutes::view).toList(), "platform_public_key", s.platformPublicKey());
  }

  private Object createApp(ServerRequest request, ServerResponse response) {
    Staff st = owner(request);
    JsonBody b = JsonBody.read(request, Set.of("name", "public_key", "notify_url"));
    AppRegistration r;
    try {
      r = s.apps().register(st.merchantId(), b.optional("name").orElse(null),
          b.required("public_key"), b.optional("notify_url").orElse(null), SignType.RSA2);
    } catch (OpenApiException e) {
      throw WebException.badRequest(e.subCode(), e.getMessage());
    }
    response.status(Status.CREATED_201);
    return JsonApi.fields("app_id", r.appId(), "platform_public_key", r.platformPublicKey());
  }

  private Object notifications(ServerRequest request, ServerResponse response) {
    Staff st = owner(request);
    String appId = ownApp(st, request.path().pathParameters().get("appId"));
    return JsonApi.fields("notifications", s.notifications().of(appId, 100).stream()
        .map(n -> JsonApi.fields("id", n.id(), "notify_id", n.notifyId(), "event", n.eventKey(),
            "trade_no", n.tradeNo(), "notify_url", n.notifyUrl(), "attempts", n.attempts(),
            "created_at", AlipayTimes.format(n.createdAt()),
            "next_attempt_at", n.deliveredAt() == null && n.gaveUpAt() == null
                ? AlipayTimes.format(n.nextAttemptAt()) : null,
            "state", n.deliveredAt() != null ? "DELIVERED" : n.gaveUpAt() != null ? "GAVE_UP"
                : "PENDING",
            "last_outcome", n.lastOutcome(), "last_response", n.lastExcerpt()))
        .toList());
  }

  private Object retry(ServerRequest request, ServerResponse response) {
    Staff st = owner(request);
    String appId = ownApp(st, request.path().pathParameters().get("appId"));
    UUID id = uuid(request.path().pathParameters().get("id"));
    if (!s.notifications().retry(appId, id)) {
      throw new WebException(Status.CONFLICT_409, "not_retryable",
          "this notification is delivered already, or not one of this app's");
    }
    return JsonApi.fields("retrying", true);
  }

  private String ownApp(Staff st, String appId) {
    if (appId == null || !APP_ID.matcher(appId).matches() || s.apps().info(appId)
        .filter(a -> a.merchantId().equals(st.merchantId())).isEmpty()) {
      throw new WebException(Status.NOT_FOUND_404, "app_not_found", "no such app of this merchant");
    }
    return appId;
  }

  // ------------------------------------------------------------------ helpers

  /** The logged-in staff member, with the merchant it works for. */
  private record Staff(Principal principal, StaffMember member) {
    UUID merchantId() {
      return member.merchantId();
    }
  }

  private Staff staff(ServerRequest request) {
    Principal p = auth.require(request, SessionRole.MERCHANT_STAFF);
    StaffMember m = s.staff().find(p.id()).orElseThrow(WebException::unauthorized);
    return new Staff(p, m);
  }

  private Staff owner(ServerRequest request) {
    Staff st = staff(request);
    if (st.member().role() != StaffMember.Role.OWNER) {
      throw WebException.forbidden("owner_only", "only the merchant's owner may do this");
    }
    return st;
  }

  private MerchantProfile profile(Staff st) {
    return s.merchants().profile(st.merchantId()).orElseThrow(WebException::unauthorized);
  }

  private static Object download(ServerResponse response, String type, String name, byte[] bytes) {
    response.header(HeaderNames.CONTENT_TYPE, type);
    response.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
    response.header(HeaderNames.CACHE_CONTROL, "no-store");
    response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    response.send(bytes);
    return JsonApi.SENT;
  }

  private void limit(ServerRequest request, String phone) {
    WebAuth.limitLogin(s.loginLimiter(), request, phone);
  }

  static String idempotencyKey(ServerRequest request) {
    String key = request.headers().first(ShellRoutes.IDEMPOTENCY_KEY).orElse("");
    if (!KEY.matcher(key).matches()) {
      throw WebException.badRequest("idempotency_key", "this call needs an Idempotency-Key header"
          + " of 8 to 64 letters, digits, '_', '-' or '.', new for each operation and the same"
          + " when it is retried");
    }
    return key;
  }

  static long amount(String field, String text) {
    try {
      return Amounts.parse(field, text);
    } catch (TradeException e) {
      throw WebException.badRequest("invalid_amount", "the " + field + " must be an amount like"
          + " 10.00 (from 0.01, at most two decimals)");
    }
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String v) {
    try {
      return Enum.valueOf(type, v);
    } catch (IllegalArgumentException e) {
      throw WebException.badRequest("invalid_" + field, field + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  static Instant dayStart(String v, String field) {
    try {
      return LocalDate.parse(v).atStartOfDay(AlipayTimes.ZONE).toInstant();
    } catch (DateTimeParseException e) {
      throw WebException.badRequest("invalid_" + field, field + " must be a day: yyyy-MM-dd");
    }
  }

  static Instant instant(String field, String v) {
    if (!v.matches("[0-9]{1,15}")) {
      throw WebException.badRequest("invalid_" + field, field + " must be epoch milliseconds");
    }
    return Instant.ofEpochMilli(Long.parseLong(v));
  }

  static UUID uuid(String v) {
    try {
      return UUID.fromString(v);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new WebException(Status.NOT_FOUND_404, "not_found", "no such item");
    }
  }

  static Map<String, Object> view(MerchantProfile p) {
    return JsonApi.fields("id", p.merchant().id(), "name", p.merchant().name(),
        "category", p.merchant().category(), "city", p.city(), "contact_phone", p.contactPhone(),
        "status", p.merchant().status().name(), "fee_rate", p.merchant().feeRate().format(),
        "tier", p.limits().tier().name(),
        "payment_limit", p.limits().paymentLimitFen() == 0 ? null
            : Amounts.format(p.limits().paymentLimitFen()),
        "day_limit", p.limits().dayLimitFen() == 0 ? null : Amounts.format(p.limits().dayLimitFen()),
        "bank_account", p.bankAccount() == null ? null : JsonApi.fields(
            "holder", p.bankAccount().holder(), "number", p.bankAccount().masked(),
            "channel", p.bankAccount().channel(), "simulated", p.bankAccount().simulated()),
        "created_at", AlipayTimes.format(p.merchant().createdAt()));
  }

  static Map<String, Object> view(StaffMember m) {
    return JsonApi.fields("id", m.id(), "login", m.login(), "role", m.role().name());
  }

  static Map<String, Object> view(Trade t) {
    return JsonApi.fields("trade_no", t.tradeNo(), "out_trade_no", t.outTradeNo(),
        "kind", t.kind().name(), "status", t.status().name(), "subject", t.subject(),
        "total_amount", Amounts.format(t.totalAmount()), "fee", Amounts.format(t.feeAmount()),
        "refunded", Amounts.format(t.refundAmount()),
        "created_at", AlipayTimes.format(t.createdAt()), "created_ms", t.createdAt().toEpochMilli(),
        "paid_at", t.paidAt() == null ? null : AlipayTimes.format(t.paidAt()));
  }

  static Map<String, Object> view(Refund r) {
    return JsonApi.fields("out_request_no", r.outRequestNo(), "amount", Amounts.format(r.amount()),
        "fee_refund", Amounts.format(r.feeRefund()), "status", r.status().name(),
        "reason", r.reason(), "refunded_at", r.refundedAt() == null ? null
            : AlipayTimes.format(r.refundedAt()));
  }

  static Map<String, Object> view(FundingResult r) {
    return JsonApi.fields("request_id", r.requestId(), "amount", Amounts.format(r.amountFen()),
        "status", r.status().name(), "failure", r.failure(), "channel", r.channel(),
        "simulated", r.simulated(), "created_at", AlipayTimes.format(r.createdAt()));
  }

  static Map<String, Object> view(AppInfo a) {
    return JsonApi.fields("app_id", a.appId(), "name", a.name(), "public_key", a.publicKey(),
        "sign_type", a.signType().name(), "notify_url", a.notifyUrl(), "status", a.status().name(),
        "created_at", AlipayTimes.format(a.createdAt()));
  }
}
