package dev.hutong.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.AuditEntry;
import dev.hutong.identity.AuditLog;
import dev.hutong.identity.MerchantLimits;
import dev.hutong.identity.MerchantProfile;
import dev.hutong.identity.MerchantStatus;
import dev.hutong.identity.MerchantTier;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.SessionRole;
import dev.hutong.pay.AlipayTimes;
import dev.hutong.pay.Amounts;
import dev.hutong.pay.BlockedPayment;
import dev.hutong.pay.Dashboard;
import dev.hutong.pay.Risk;
import dev.hutong.pay.Settlement;
import dev.hutong.pay.SweepReport;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The operations console's JSON API under {@code /ops/api/}: merchants (search, detail, limits,
 * freeze and unfreeze), risk (rules, blocked payments), the settlement sweep, the live dashboard
 * and the audit log. Operators log in with the operator token (the same secret as the admin CLI,
 * checked against its hash) and get an OPERATOR session; every state-changing action is appended
 * to the audit log with the operator's reason.
 */
public final class OpsRoutes implements Routes {
  static final String API = "/ops/api";
  /** The principal of operator sessions: the holder of the operator token. */
  public static final UUID OPERATOR_ID = UUID.nameUUIDFromBytes("hutong-operator".getBytes(
      java.nio.charset.StandardCharsets.UTF_8));
  private static final int REASON_CHARS_MAX = 500;

  /** What the console calls; all built by the composition root. */
  public record Services(Merchants merchants, Settlement settlement, Risk risk,
      Dashboard dashboard, AuditLog audit, Predicate<String> operatorToken) {}

  private final Services s;
  private final WebAuth auth;
  private final JsonApi api;

  public OpsRoutes(Services services, WebAuth auth, ObjectMapper mapper) {
    this.s = services;
    this.auth = auth;
    this.api = new JsonApi(mapper);
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing
        .post(API + "/login", api.wrap(this::logIn))
        .post(API + "/logout", api.wrap(this::logOut))
        .get(API + "/merchants", api.wrap(this::merchants))
        .get(API + "/merchants/{id}", api.wrap(this::merchant))
        .post(API + "/merchants/{id}/freeze", api.wrap((q, r) -> setStatus(q, MerchantStatus.FROZEN)))
        .post(API + "/merchants/{id}/unfreeze", api.wrap((q, r) -> setStatus(q, MerchantStatus.ACTIVE)))
        .post(API + "/merchants/{id}/limits", api.wrap(this::setLimits))
        .get(API + "/risk", api.wrap(this::risk))
        .post(API + "/risk/rules", api.wrap(this::setRule))
        .post(API + "/settlement/sweep", api.wrap(this::sweep))
        .get(API + "/dashboard", api.wrap(this::dashboard))
        .get(API + "/audit", api.wrap(this::audit));
  }

  private Object logIn(ServerRequest request, ServerResponse response) {
    auth.csrf().checkOrigin(request);
    JsonBody b = JsonBody.read(request, Set.of("token"));
    if (!s.operatorToken().test(b.required("token"))) {
      s.audit().append("anonymous", "ops.login_failed", "operator", "wrong operator token");
      throw new WebException(Status.UNAUTHORIZED_401, "wrong_token",
          "that is not the operator token (see <data-dir>/operator.token)");
    }
    Principal p = auth.logIn(response, SessionRole.OPERATOR, OPERATOR_ID);
    s.audit().append(actor(p), "ops.login", "operator", "");
    return JsonApi.fields("csrf_token", p.csrfToken());
  }

  private Object logOut(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    auth.logOut(request, response, SessionRole.OPERATOR);
    return JsonApi.fields("logged_out", true);
  }

  private Object merchants(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    MerchantStatus status = request.query().first("status")
        .map(v -> MerchantRoutes.parseEnum(MerchantStatus.class, "status", v)).orElse(null);
    return JsonApi.fields("merchants", s.merchants().search(request.query().first("q").orElse(""),
        status, 100).stream().map(MerchantRoutes::view).toList());
  }

  private Object merchant(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    MerchantProfile p = profile(request);
    var money = s.settlement().summary(p.merchant().id());
    return JsonApi.fields("merchant", MerchantRoutes.view(p),
        "balance", Amounts.format(money.balanceFen()), "gross", Amounts.format(money.grossFen()),
        "paid_out", Amounts.format(money.paidOutFen()),
        "blocked", s.risk().blocked(p.merchant().id(), 50).stream().map(OpsRoutes::view).toList(),
        "audit", s.audit().recent(50, null, target(p.merchant().id())).stream()
            .map(OpsRoutes::view).toList());
  }

  private Object setStatus(ServerRequest request, MerchantStatus status) {
    Principal p = auth.require(request, SessionRole.OPERATOR);
    MerchantProfile m = profile(request);
    String reason = reason(JsonBody.read(request, Set.of("reason")));
    s.merchants().setStatus(m.merchant().id(), status);
    s.audit().append(actor(p), status == MerchantStatus.FROZEN ? "merchant.freeze"
        : "merchant.unfreeze", target(m.merchant().id()), reason);
    return JsonApi.fields("merchant", MerchantRoutes.view(s.merchants().profile(m.merchant().id())
        .orElseThrow()));
  }

  private Object setLimits(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.OPERATOR);
    MerchantProfile m = profile(request);
    JsonBody b = JsonBody.read(request, Set.of("tier", "payment_limit", "day_limit", "reason"));
    MerchantLimits limits = new MerchantLimits(
        MerchantRoutes.parseEnum(MerchantTier.class, "tier", b.required("tier")),
        b.optional("payment_limit").map(v -> MerchantRoutes.amount("payment_limit", v)).orElse(0L),
        b.optional("day_limit").map(v -> MerchantRoutes.amount("day_limit", v)).orElse(0L));
    String reason = reason(b);
    s.merchants().setLimits(m.merchant().id(), limits);
    s.audit().append(actor(p), "merchant.limits", target(m.merchant().id()),
        "from " + m.limits() + " to " + limits + "; " + reason);
    return JsonApi.fields("merchant", MerchantRoutes.view(s.merchants().profile(m.merchant().id())
        .orElseThrow()));
  }

  private Object risk(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    return JsonApi.fields("rules", s.risk().rules().asMap(),
        "blocked", s.risk().blocked(null, 100).stream().map(OpsRoutes::view).toList());
  }

  private Object setRule(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.OPERATOR);
    JsonBody b = JsonBody.read(request, Set.of("name", "value", "reason"));
    String name = b.required("name");
    String value = b.required("value");
    if (!value.matches("[0-9]{1,12}")) {
      throw WebException.badRequest("invalid_value", "value must be a whole number (fen, seconds"
          + " or a count: see the rule's name)");
    }
    String reason = reason(b);
    long before = s.risk().rules().asMap().getOrDefault(name, -1L);
    var rules = s.risk().setRule(name, Long.parseLong(value));
    s.audit().append(actor(p), "risk.rule", "rule:" + name, "from " + before + " to " + value
        + "; " + reason);
    return JsonApi.fields("rules", rules.asMap());
  }

  private Object sweep(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.OPERATOR);
    JsonBody b = JsonBody.read(request, Set.of("day", "reason"));
    LocalDate day;
    try {
      day = LocalDate.parse(b.required("day"));
    } catch (DateTimeParseException e) {
      throw WebException.badRequest("invalid_day", "day must be yyyy-MM-dd");
    }
    String reason = reason(b);
    SweepReport r = s.settlement().sweep(day);
    s.audit().append(actor(p), "settlement.sweep", "day:" + day, r + "; " + reason);
    return JsonApi.fields("day", day.toString(), "paid_out", r.paidOut(),
        "total", Amounts.format(r.totalFen()), "already_swept", r.alreadySwept(),
        "failed", r.failed());
  }

  private Object dashboard(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    Dashboard.Figures f = s.dashboard().figures();
    return JsonApi.fields("at", f.at().toEpochMilli(),
        "payments_per_second", Math.round(f.paymentsPerSecond() * 100) / 100.0,
        "payments_today", f.paymentsToday(), "volume_today", Amounts.format(f.volumeTodayFen()),
        "created_today", f.createdToday(),
        "success_rate", Math.round(f.successRate() * 1000) / 1000.0,
        "notification_backlog", f.notificationBacklog(), "blocked_today", f.blockedToday(),
        "top_merchants", f.topMerchants().stream().map(t -> JsonApi.fields("id", t.merchantId(),
            "name", t.name(), "volume", Amounts.format(t.volumeFen()), "payments", t.payments()))
            .toList(),
        "minutes", f.lastHour().stream().map(m -> JsonApi.fields("start", m.start().toEpochMilli(),
            "created", m.created(), "paid", m.paid(), "volume", Amounts.format(m.volumeFen())))
            .toList());
  }

  private Object audit(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    var before = request.query().first("before").map(v -> MerchantRoutes.instant("before", v))
        .orElse(null);
    return JsonApi.fields("entries", s.audit().recent(100, before, null).stream()
        .map(OpsRoutes::view).toList());
  }

  private MerchantProfile profile(ServerRequest request) {
    UUID id = MerchantRoutes.uuid(request.path().pathParameters().get("id"));
    return s.merchants().profile(id).orElseThrow(() -> new WebException(Status.NOT_FOUND_404,
        "merchant_not_found", "no such merchant"));
  }

  private static String reason(JsonBody b) {
    String reason = b.required("reason").strip();
    if (reason.isEmpty() || reason.length() > REASON_CHARS_MAX) {
      throw WebException.badRequest("invalid_reason", "give a reason of 1 to " + REASON_CHARS_MAX
          + " characters: it goes into the audit log");
    }
    return reason;
  }

  private static String actor(Principal p) {
    return "operator:" + p.id().toString().substring(0, 8);
  }

  private static String target(UUID merchantId) {
    return "merchant:" + merchantId;
  }

  static Map<String, Object> view(BlockedPayment b) {
    return JsonApi.fields("at", AlipayTimes.format(b.at()), "trade_no", b.tradeNo(),
        "merchant_id", b.merchantId(), "user_id", b.userId(), "amount", Amounts.format(b.amountFen()),
        "rule", b.rule(), "reason", b.reason());
  }

  static Map<String, Object> view(AuditEntry e) {
    return JsonApi.fields("id", e.id(), "at", AlipayTimes.format(e.at()), "at_ms",
        e.at().toEpochMilli(), "actor", e.actor(), "action", e.action(), "target", e.target(),
        "detail", e.detail());
  }
}
