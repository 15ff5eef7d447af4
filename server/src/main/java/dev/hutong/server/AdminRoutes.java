package dev.hutong.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.FeeRate;
import dev.hutong.identity.FundingChannel;
import dev.hutong.identity.IdentityError;
import dev.hutong.identity.IdentityException;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.NewMerchant;
import dev.hutong.identity.NewUser;
import dev.hutong.identity.OpenIds;
import dev.hutong.identity.TopUp;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.identity.WalletBalance;
import dev.hutong.identity.Wallets;
import dev.hutong.openapi.AppRegistration;
import dev.hutong.openapi.AppRegistry;
import dev.hutong.openapi.OAuthService;
import dev.hutong.openapi.OpenApiException;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.Amounts;
import dev.hutong.pay.Cashier;
import dev.hutong.pay.CashierResult;
import dev.hutong.pay.PaymentCodes;
import dev.hutong.pay.TradeError;
import dev.hutong.pay.TradeException;
import dev.hutong.server.web.HttpStatuses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's JSON API under {@code /admin/}: what {@code hutong admin ...} calls, and later the
 * operator console. Every request needs {@code Authorization: Bearer <operator token>}
 * ({@link OperatorToken}). Bodies are JSON objects of string fields (amounts as "100.00"), at most
 * {@link #BODY_BYTES_MAX} bytes. Every refusal is {@code {"error":"<what to do>","sub_code":"..."}}
 * with a 4xx status; the sub_codes are Alipay's for trade and cashier refusals ({@code ACQ.*},
 * {@code CASHIER.*}), {@code IDENTITY.*} for users and merchants, the open platform's own
 * ({@code INVALID_PUBLIC_KEY}, {@code INVALID_NOTIFY_URL}, {@code NOTIFY_URL_NOT_PUBLIC},
 * {@code APP_NOT_FOUND}, {@code INVALID_SCOPE}, ...) for apps and OAuth, {@code ADMIN.*} for the
 * request itself.
 *
 * <p>Idempotency, where the domain has a key: creating a user again with the same phone and
 * password answers the same user (and its initial top-up, keyed by the user, moves money once);
 * an open_id is created once per user and app; a cashier payment of a trade the same user paid
 * answers success again without moving money. Creating a merchant or an app, issuing a payment
 * code or an OAuth code make something new each time, by nature.
 */
final class AdminRoutes {
  static final String PREFIX = "/admin";
  /** Largest admin request body. */
  static final int BODY_BYTES_MAX = 64 * 1024;
  /** The request id of the top-up that `admin user create --top-up` makes: one per user. */
  static final String INITIAL_TOP_UP_REQUEST_ID = "admin-initial-top-up";
  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

  /** The services the admin API calls; all built by the composition root. */
  record Services(Merchants merchants, Users users, Wallets wallets, FundingChannel funding,
      PaymentCodes paymentCodes, OpenIds openIds, Cashier cashier, AppRegistry apps,
      OAuthService oauth) {}

  @FunctionalInterface
  private interface Handler {
    Reply handle(ServerRequest request);
  }

  private record Reply(Status status, Map<String, Object> body) {
    static Reply ok(Map<String, Object> body) {
      return new Reply(Status.OK_200, body);
    }

    static Reply created(Map<String, Object> body) {
      return new Reply(Status.CREATED_201, body);
    }
  }

  private final OperatorToken token;
  private final Services services;
  private final ObjectMapper mapper;

  AdminRoutes(OperatorToken token, Services services, ObjectMapper mapper) {
    this.token = token;
    this.services = services;
    this.mapper = mapper;
  }

  void register(HttpRouting.Builder routing) {
    routing
        .post(PREFIX + "/merchants", wrap(this::createMerchant))
        .get(PREFIX + "/merchants/{id}/balance", wrap(this::merchantBalance))
        .post(PREFIX + "/apps", wrap(this::createApp))
        .post(PREFIX + "/users", wrap(this::createUser))
        .get(PREFIX + "/users/{id}/balance", wrap(this::userBalance))
        .post(PREFIX + "/users/{id}/payment-codes", wrap(this::issuePaymentCode))
        .post(PREFIX + "/users/{id}/open-ids", wrap(this::openId))
        .post(PREFIX + "/cashier/pay", wrap(this::cashierPay))
        .post(PREFIX + "/oauth/codes", wrap(this::oauthCode))
        .any(PREFIX, wrap(this::noSuchEndpoint))
        .any(PREFIX + "/*", wrap(this::noSuchEndpoint));
  }

  // ------------------------------------------------------------------ endpoints

  private Reply createMerchant(ServerRequest request) {
    AdminBody body = body(request, "name", "category", "fee_rate");
    String name = body.required("name");
    String category = body.optional("category").orElse("general");
    FeeRate rate = body.optional("fee_rate").map(AdminRoutes::feeRate).orElse(FeeRate.ZERO);
    Merchant merchant = services.merchants().create(new NewMerchant(name, category, rate));
    return Reply.created(fields("merchant_id", merchant.id().toString()));
  }

  private Reply merchantBalance(ServerRequest request) {
    emptyBody(request);
    Merchant merchant = services.merchants().get(pathId(request));
    WalletBalance balance = services.wallets().balance(merchant.settlementAccountId());
    return Reply.ok(fields("balance", signedAmount(balance.posted()),
        "pending", signedAmount(balance.pending())));
  }

  private Reply createApp(ServerRequest request) {
    AdminBody body = body(request, "merchant_id", "public_key", "notify_url", "name",
        "sign_type");
    UUID merchantId = body.requiredId("merchant_id");
    String publicKey = body.required("public_key");
    String notifyUrl = body.optional("notify_url").orElse(null);
    SignType signType = body.optional("sign_type")
        .map(s -> SignType.fromParameter(s).orElseThrow(
            () -> AdminException.invalid("sign_type", "must be RSA2 or RSA")))
        .orElse(SignType.RSA2);
    // No name: the merchant's. The registry checks the merchant, key and notify URL.
    AppRegistration app = services.apps().register(merchantId,
        body.optional("name").orElse(null), publicKey, notifyUrl, signType);
    return Reply.created(fields("app_id", app.appId(),
        "platform_public_key", app.platformPublicKey()));
  }

  private Reply createUser(ServerRequest request) {
    AdminBody body = body(request, "phone", "password", "pin", "top_up");
    String phone = body.required("phone");
    String password = body.required("password");
    String pin = body.required("pin");
    Long topUpFen = body.optional("top_up").map(t -> amount("top_up", t)).orElse(null);
    User user;
    Status status = Status.CREATED_201;
    try {
      user = services.users().create(new NewUser(phone, password, pin, null));
    } catch (IdentityException e) {
      if (e.error() != IdentityError.PHONE_TAKEN) {
        throw e;
      }
      // The same request again (a retry after a lost answer): the same user. Someone else's phone
      // stays refused, because the password has to match.
      user = services.users().verifyLogin(phone, password).orElseThrow(() -> e);
      status = Status.OK_200;
    }
    if (topUpFen != null) {
      // Keyed by the user: a repeated create tops up once; another amount is REQUEST_ID_REUSED.
      services.funding().topUp(new TopUp(user.id(), topUpFen, INITIAL_TOP_UP_REQUEST_ID, null))
          .requireSuccess();
    }
    return new Reply(status, fields("user_id", user.id().toString()));
  }

  private Reply userBalance(ServerRequest request) {
    emptyBody(request);
    User user = services.users().get(pathId(request));
    WalletBalance balance = services.wallets().balance(user.walletAccountId());
    return Reply.ok(fields("balance", signedAmount(balance.available())));
  }

  private Reply issuePaymentCode(ServerRequest request) {
    emptyBody(request);
    UUID userId = pathId(request);
    return Reply.created(fields("auth_code", services.paymentCodes().issue(userId).code()));
  }

  private Reply openId(ServerRequest request) {
    AdminBody body = body(request, "app_id");
    UUID userId = pathId(request);
    String appId = body.required("app_id");
    services.users().get(userId);
    if (services.apps().info(appId).isEmpty()) {
      throw new OpenApiException(OpenApiException.APP_NOT_FOUND, "no app " + appId
          + "; create it with 'hutong admin app create'");
    }
    return Reply.ok(fields("open_id", services.openIds().openIdFor(appId, userId)));
  }

  private Reply cashierPay(ServerRequest request) {
    AdminBody body = body(request, "trade_no", "qr_code", "user_id", "pin");
    UUID userId = body.requiredId("user_id");
    String pin = body.required("pin");
    var tradeNo = body.optional("trade_no");
    var qrCode = body.optional("qr_code");
    if (tradeNo.isPresent() == qrCode.isPresent()) {
      throw AdminException.badRequest("ADMIN.INVALID_FIELD",
          "give exactly one of \"trade_no\" and \"qr_code\"");
    }
    CashierResult result = tradeNo.isPresent()
        ? services.cashier().confirm(userId, tradeNo.get(), pin)
        : services.cashier().payQrCode(userId, qrCode.get(), pin);
    return Reply.ok(fields("result_code", result.resultCode(),
        "trade_no", result.trade().tradeNo()));
  }

  private Reply oauthCode(ServerRequest request) {
    AdminBody body = body(request, "user_id", "app_id", "scopes");
    UUID userId = body.requiredId("user_id");
    String appId = body.required("app_id");
    Set<String> scopes = scopes(body.required("scopes"));
    services.users().get(userId);
    return Reply.created(fields("auth_code",
        services.oauth().issueCode(userId, appId, scopes)));
  }

  private Reply noSuchEndpoint(ServerRequest request) {
    throw new AdminException(Status.NOT_FOUND_404, "ADMIN.NOT_FOUND", "no admin endpoint "
        + request.prologue().method().text() + " " + AdminBody.abbreviate(request.path().rawPath())
        + "; see docs/operations.md for the admin API");
  }

  // ------------------------------------------------------------------ plumbing

  private io.helidon.webserver.http.Handler wrap(Handler handler) {
    return (request, response) -> {
      Reply reply;
      try {
        authenticate(request);
        reply = handler.handle(request);
      } catch (AdminException e) {
        reply = error(e.status(), e.subCode(), e.getMessage());
        if (e.status() == Status.UNAUTHORIZED_401) {
          response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
      } catch (TradeException e) {
        reply = error(statusOf(e.error()), e.subCode(), e.getMessage());
      } catch (IdentityException e) {
        reply = error(statusOf(e.error()), "IDENTITY." + e.error().name(), e.getMessage());
      } catch (OpenApiException e) {
        // The open platform's refusals: bad keys, notify URLs, scopes, unknown apps.
        reply = error(statusOf(e.subCode()), e.subCode(), e.getMessage());
      } catch (RuntimeException e) {
        String incident = UUID.randomUUID().toString().substring(0, 8);
        log.error("admin {} {} failed (incident {})", request.prologue().method().text(),
            request.path().rawPath(), incident, e);
        reply = error(Status.INTERNAL_SERVER_ERROR_500, "ADMIN.INTERNAL_ERROR",
            "the server failed to handle this request (incident " + incident
                + "); the details are in the server log");
      }
      send(response, reply);
    };
  }

  private void authenticate(ServerRequest request) {
    String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    String presented = header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim() : null;
    if (!token.matches(presented)) {
      throw new AdminException(Status.UNAUTHORIZED_401, "ADMIN.UNAUTHORIZED",
          "the admin API needs 'Authorization: Bearer <token>' with the token from "
              + token.file() + " (written anew at every start)");
    }
  }

  private AdminBody body(ServerRequest request, String... allowedFields) {
    String contentType = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    byte[] bytes = read(request);
    if (bytes.length > 0 && !mediaType.equals("application/json")) {
      throw new AdminException(Status.UNSUPPORTED_MEDIA_TYPE_415, "ADMIN.UNSUPPORTED_MEDIA_TYPE",
          "send the body as Content-Type: application/json, not '"
              + AdminBody.abbreviate(contentType) + "'");
    }
    return AdminBody.parse(bytes, new LinkedHashSet<>(Arrays.asList(allowedFields)));
  }

  /** Endpoints without parameters take no body, or an empty JSON object. */
  private void emptyBody(ServerRequest request) {
    byte[] bytes = read(request);
    if (bytes.length > 0) {
      AdminBody.parse(bytes, Set.of());
    }
  }

  private static byte[] read(ServerRequest request) {
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    if (request.headers().contentLength().orElse(0) > BODY_BYTES_MAX) {
      throw tooLarge();
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] bytes = in.readNBytes(BODY_BYTES_MAX + 1);
      if (bytes.length > BODY_BYTES_MAX) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the admin request body", e);
    }
  }

  private static AdminException tooLarge() {
    return new AdminException(Status.REQUEST_ENTITY_TOO_LARGE_413, "ADMIN.BODY_TOO_LARGE",
        "admin request bodies are at most " + BODY_BYTES_MAX + " bytes");
  }

  private static UUID pathId(ServerRequest request) {
    return AdminBody.id("id", request.path().pathParameters().get("id"));
  }

  private static FeeRate feeRate(String text) {
    try {
      return FeeRate.parse(text);
    } catch (IdentityException | IllegalArgumentException e) {
      throw AdminException.invalid("fee_rate", "must be a decimal from 0 to 1 with at most 6 "
          + "decimals, e.g. 0.006, got '" + AdminBody.abbreviate(text) + "'");
    }
  }

  private static long amount(String field, String text) {
    try {
      return Amounts.parse(field, text);
    } catch (TradeException e) {
      throw AdminException.invalid(field, "must be an amount from 0.01 with two decimals at "
          + "most, e.g. \"100.00\", got '" + AdminBody.abbreviate(text) + "'");
    }
  }

  /** Comma-separated; the OAuth service says which scopes exist (INVALID_SCOPE). */
  private static Set<String> scopes(String text) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope : text.split(",", -1)) {
      scopes.add(scope.trim());
    }
    return scopes;
  }

  /** Amounts are 2-decimal strings; a negative one (money held) gets a minus sign. */
  static String signedAmount(long fen) {
    return fen < 0 ? "-" + Amounts.format(-fen) : Amounts.format(fen);
  }

  private static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Reply error(Status status, String subCode, String message) {
    return new Reply(status, fields("error", message, "sub_code", subCode));
  }

  private static Status statusOf(TradeError error) {
    return HttpStatuses.of(error);
  }

  private static Status statusOf(String openApiSubCode) {
    return switch (openApiSubCode) {
      case OpenApiException.MERCHANT_NOT_FOUND, OpenApiException.APP_NOT_FOUND,
          OpenApiException.USER_NOT_FOUND -> Status.NOT_FOUND_404;
      case OpenApiException.MERCHANT_FROZEN, OpenApiException.APP_SUSPENDED,
          OpenApiException.USER_FROZEN -> Status.CONFLICT_409;
      default -> Status.BAD_REQUEST_400;
    };
  }

  private static Status statusOf(IdentityError error) {
    return HttpStatuses.of(error);
  }

  private void send(ServerResponse response, Reply reply) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(reply.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an admin reply", e);
    }
    response.status(reply.status());
    response.header(HeaderNames.CONTENT_TYPE, "application/json");
    response.send(bytes);
  }
}
