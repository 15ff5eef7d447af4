package dev.hutong.server.web;

import static dev.hutong.server.web.JsonApi.fields;
import static dev.hutong.server.web.MerchantRoutes.amount;
import static dev.hutong.server.web.MerchantRoutes.idempotencyKey;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.FundingChannel;
import dev.hutong.identity.FundingResult;
import dev.hutong.identity.IdentityError;
import dev.hutong.identity.IdentityException;
import dev.hutong.identity.LoginRateLimiter;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.NewUser;
import dev.hutong.identity.SessionRole;
import dev.hutong.identity.TopUp;
import dev.hutong.identity.User;
import dev.hutong.identity.UserStatus;
import dev.hutong.identity.Users;
import dev.hutong.identity.WalletBalance;
import dev.hutong.identity.Wallets;
import dev.hutong.pay.Amounts;
import dev.hutong.pay.Bills;
import dev.hutong.pay.Cashier;
import dev.hutong.pay.CashierResult;
import dev.hutong.pay.CollectCodes;
import dev.hutong.pay.PaymentCode;
import dev.hutong.pay.PaymentCodes;
import dev.hutong.pay.Refund;
import dev.hutong.pay.RefundStatus;
import dev.hutong.pay.Trade;
import dev.hutong.pay.TradeError;
import dev.hutong.pay.TradeException;
import dev.hutong.pay.TradeService;
import dev.hutong.pay.TradeStatus;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The super-app shell's JSON API under {@code /api/} (docs/shell.md lists every endpoint). Every
 * endpoint but sign-up and log-in needs the user's session cookie; every state-changing one also
 * passes the CSRF check ({@link CsrfGuard}). Money-moving calls are idempotent: top-up and
 * collect-code payment by the {@code Idempotency-Key} header (required), paying a trade by the
 * trade itself (paying it again answers success without moving money).
 */
public final class ShellRoutes implements Routes {
  public static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
  /** The shell asks for a new payment code this often; the code itself lives 60 s. */
  public static final Duration PAYMENT_CODE_REFRESH = Duration.ofSeconds(60);
  private static final Pattern LAUNCH = Pattern.compile(
      "(?:https?://[^/\\s]{1,255})?(/launch/([A-Za-z0-9_-]{1,64})(?:[/?#][^\\s]*)?)");
  private static final int SCAN_TEXT_CHARS_MAX = 512;
  private static final int BILLS_PAGE_DEFAULT = 20;

  /** What the shell's API calls; all built by the composition root. */
  public record Services(Users users, Wallets wallets, FundingChannel funding, Merchants merchants,
      PaymentCodes paymentCodes, CollectCodes collectCodes, TradeService trades, Cashier cashier,
      Bills bills, LoginRateLimiter loginLimiter) {}

  private final Services s;
  private final WebAuth auth;
  private final JsonApi api;

  public ShellRoutes(Services services, WebAuth auth, ObjectMapper mapper) {
    this.s = services;
    this.auth = auth;
    this.api = new JsonApi(mapper);
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing
        .post("/api/signup", api.wrap(this::signUp))
        .post("/api/login", api.wrap(this::logIn))
        .post("/api/logout", api.wrap(this::logOut))
        .get("/api/me", api.wrap(this::me))
        .get("/api/wallet", api.wrap(this::wallet))
        .post("/api/wallet/top-ups", api.wrap(this::topUp))
        .get("/api/bills", api.wrap(this::bills))
        .get("/api/trades/{tradeNo}", api.wrap(this::tradeDetail))
        .post("/api/payment-codes", api.wrap(this::paymentCode))
        .post("/api/scan", api.wrap(this::scan))
        .post("/api/scan/image", api.wrap(this::scanImage))
        .get("/api/cashier/trades/{tradeNo}", api.wrap(this::cashierTrade))
        .post("/api/cashier/pay", api.wrap(this::cashierPay))
        .post("/api/cashier/collect", api.wrap(this::collectPay));
  }

  // ------------------------------------------------------------------ account

  private Object signUp(ServerRequest request, ServerResponse response) {
    auth.csrf().checkOrigin(request);
    JsonBody body = JsonBody.read(request, Set.of("phone", "password", "pin", "nickname"));
    String phone = body.required("phone");
    String password = body.required("password");
    // Sign-up hashes twice with bcrypt: held by the same per-address limit as logging in.
    limit(request, phone);
    User user;
    try {
      user = s.users().create(new NewUser(phone, password, body.required("pin"),
          body.optional("nickname").orElse(null)));
    } catch (IdentityException e) {
      if (e.error() != IdentityError.PHONE_TAKEN) {
        throw e;
      }
      // A retry of the same sign-up (the answer was lost) logs in; anyone else is refused.
      user = s.users().verifyLogin(phone, password).orElseThrow(() -> {
        s.loginLimiter().failed(phone);
        return e;
      });
    }
    Principal p = auth.logIn(response, SessionRole.USER, user.id());
    response.status(Status.CREATED_201);
    return fields("user", userView(user), "csrf_token", p.csrfToken());
  }

  private Object logIn(ServerRequest request, ServerResponse response) {
    auth.csrf().checkOrigin(request);
    JsonBody body = JsonBody.read(request, Set.of("phone", "password"));
    String phone = body.required("phone");
    limit(request, phone);
    Optional<User> user = s.users().verifyLogin(phone, body.required("password"));
    if (user.isEmpty()) {
      s.loginLimiter().failed(phone);
      throw new WebException(Status.UNAUTHORIZED_401, "wrong_credentials",
          "the phone number or the password is wrong");
    }
    if (user.get().status() != UserStatus.ACTIVE) {
      throw WebException.forbidden("user_frozen", "this account is frozen; contact support");
    }
    s.loginLimiter().succeeded(phone);
    Principal p = auth.logIn(response, SessionRole.USER, user.get().id());
    return fields("user", userView(user.get()), "csrf_token", p.csrfToken());
  }

  private Object logOut(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.USER);
    auth.logOut(request, response, SessionRole.USER);
    return fields("logged_out", true);
  }

  private Object me(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.USER);
    return fields("user", userView(s.users().get(p.id())), "csrf_token", p.csrfToken());
  }

  // ------------------------------------------------------------------ wallet

  private Object wallet(ServerRequest request, ServerResponse response) {
    User user = user(request);
    WalletBalance b = s.wallets().balance(user.walletAccountId());
    return fields("balance", Amounts.format(Math.max(0, b.available())),
        "top_up_channel", fields("name", s.funding().name(), "simulated", s.funding().simulated()));
  }

  private Object topUp(ServerRequest request, ServerResponse response) {
    User user = user(request);
    String key = idempotencyKey(request);
    JsonBody body = JsonBody.read(request, Set.of("amount"));
    long fen = amount("amount", body.required("amount"));
    FundingResult r = s.funding().topUp(new TopUp(user.id(), fen, key, null)).requireSuccess();
    return fields("status", r.status().name(), "amount", Amounts.format(r.amountFen()),
        "channel", r.channel(), "simulated", r.simulated(),
        "balance", Amounts.format(s.wallets().balance(user.walletAccountId()).available()));
  }

  private Object bills(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.USER);
    int limit = request.query().first("limit").asOptional().map(v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        return -1;
      }
    }).orElse(BILLS_PAGE_DEFAULT);
    String cursor = request.query().first("before").asOptional().orElse(null);
    Bills.Page page = s.bills().page(p.id(), cursor, limit);
    List<Object> items = page.items().stream().<Object>map(b -> fields("kind", b.kind().name(),
        "trade_no", b.tradeNo(), "amount", signed(b.amountFen()), "title", b.title(),
        "merchant_name", b.merchantName(), "at", b.at().toString(),
        "simulated", b.kind() == Bills.Kind.TOP_UP && s.funding().simulated())).toList();
    return fields("items", items, "next", page.next().orElse(null));
  }

  private Object tradeDetail(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.USER);
    Trade t = s.trades().byTradeNo(request.path().pathParameters().get("tradeNo"));
    if (!p.id().equals(t.buyerUserId()) || t.paidAt() == null) {
      // Someone else's trade looks exactly like one that does not exist.
      throw new TradeException(TradeError.TRADE_NOT_EXIST);
    }
    Map<String, Object> view = tradeView(t);
    List<Object> refunds = s.trades().refunds(t.tradeNo()).stream()
        .filter(r -> r.status() == RefundStatus.SUCCESS)
        .<Object>map(ShellRoutes::refundView).toList();
    view.put("paid_at", t.paidAt().toString());
    view.put("refunded", Amounts.format(t.refundAmount()));
    view.put("refunds", refunds);
    return view;
  }

  // ------------------------------------------------------------------ paying

  private Object paymentCode(ServerRequest request, ServerResponse response) {
    User user = user(request);
    PaymentCode code = s.paymentCodes().issue(user.id());
    return fields("auth_code", code.code(), "expires_at", code.expiresAt().toString(),
        "refresh_seconds", PAYMENT_CODE_REFRESH.toSeconds(),
        "qr_svg", CodeImages.qrSvg(code.code()), "barcode_svg", CodeImages.barcodeSvg(code.code(), 40));
  }

  /** What a scanned text is: a precreated trade, a merchant's collect code, or a launch link. */
  private Object scan(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.USER);
    String text = JsonBody.read(request, Set.of("text")).required("text").strip();
    if (text.length() > SCAN_TEXT_CHARS_MAX) {
      throw WebException.badRequest("unknown_code", "this code is too long to be one of ours");
    }
    Matcher launch = LAUNCH.matcher(text);
    if (launch.matches()) {
      return fields("kind", "launch", "app_id", launch.group(2), "path", launch.group(1));
    }
    boolean collectForm = text.contains("/c/");
    if (!collectForm) {
      try {
        Trade t = s.cashier().previewQrCode(text);
        return fields("kind", "trade", "trade", tradeView(t));
      } catch (TradeException e) {
        if (e.error() != TradeError.QR_CODE_INVALID) {
          throw e;
        }
      }
    }
    Optional<UUID> merchant = s.collectCodes().merchantFor(text);
    if (merchant.isPresent()) {
      return fields("kind", "collect", "code", text,
          "merchant_name", s.merchants().get(merchant.get()).name());
    }
    throw new WebException(Status.NOT_FOUND_404, "unknown_code",
        "this is not a Hutong payment QR code, collect code or mini-program link");
  }

  /** The QR code in a picked picture, for browsers without BarcodeDetector; the page then scans the text. */
  private Object scanImage(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.USER);
    String type = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!type.startsWith("image/")) {
      throw new WebException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
          "send the picture itself with its image/... Content-Type");
    }
    byte[] picture = JsonBody.bytes(request, QrImageReader.BYTES_MAX);
    String text = QrImageReader.read(picture).orElseThrow(() -> new WebException(
        Status.NOT_FOUND_404, "no_code_found", "no QR code found in this picture"));
    return fields("text", text);
  }

  private Object cashierTrade(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.USER);
    Trade t = s.cashier().preview(request.path().pathParameters().get("tradeNo"));
    if (t.buyerNamed() && !p.id().equals(t.buyerUserId())) {
      throw new TradeException(TradeError.TRADE_BUYER_NOT_MATCH);
    }
    return tradeView(t);
  }

  private Object cashierPay(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.USER);
    JsonBody body = JsonBody.read(request, Set.of("trade_no", "qr_code", "pin"));
    Optional<String> tradeNo = body.optional("trade_no");
    Optional<String> qrCode = body.optional("qr_code");
    if (tradeNo.isPresent() == qrCode.isPresent()) {
      throw WebException.badRequest("invalid_field", "give exactly one of trade_no and qr_code");
    }
    String pin = body.required("pin");
    CashierResult r = tradeNo.isPresent() ? s.cashier().confirm(p.id(), tradeNo.get(), pin)
        : s.cashier().payQrCode(p.id(), qrCode.get(), pin);
    return fields("result_code", r.resultCode(), "trade_no", r.trade().tradeNo(),
        "trade", tradeView(r.trade()));
  }

  private Object collectPay(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.USER);
    String key = idempotencyKey(request);
    JsonBody body = JsonBody.read(request, Set.of("code", "amount", "pin"));
    long fen = amount("amount", body.required("amount"));
    CashierResult r = s.cashier().payCollectCode(p.id(), body.required("code"), fen,
        body.required("pin"), key);
    return fields("result_code", r.resultCode(), "trade_no", r.trade().tradeNo(),
        "trade", tradeView(r.trade()));
  }

  // ------------------------------------------------------------------ views

  private Map<String, Object> tradeView(Trade t) {
    String merchant = s.merchants().find(t.merchantId()).map(m -> m.name()).orElse("");
    return fields("trade_no", t.tradeNo(), "merchant_name", merchant, "subject", t.subject(),
        "amount", Amounts.format(t.totalAmount()), "status", t.status().name(),
        "payable", t.status() == TradeStatus.WAIT_BUYER_PAY,
        "created_at", t.createdAt().toString());
  }

  private static Map<String, Object> refundView(Refund r) {
    return fields("amount", Amounts.format(r.amount()), "reason", r.reason(),
        "at", r.refundedAt() == null ? null : r.refundedAt().toString());
  }

  private static Map<String, Object> userView(User u) {
    return fields("id", u.id().toString(), "phone", u.phone(), "nickname", u.nickname());
  }

  // ------------------------------------------------------------------ plumbing

  private User user(ServerRequest request) {
    return s.users().get(auth.require(request, SessionRole.USER).id());
  }

  private void limit(ServerRequest request, String phone) {
    WebAuth.limitLogin(s.loginLimiter(), request, phone);
  }

  private static String signed(long fen) {
    return fen < 0 ? "-" + Amounts.format(-fen) : "+" + Amounts.format(fen);
  }
}
