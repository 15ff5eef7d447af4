package dev.hutong.server.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.identity.Merchants;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.ResolvedVersion;
import dev.hutong.miniapp.Templates;
import dev.hutong.miniapp.UserApps;
import dev.hutong.miniapp.VersionResolver;
import dev.hutong.miniapp.Versions;
import dev.hutong.miniapp.runtime.AppStorage;
import dev.hutong.miniapp.runtime.LaunchTickets;
import dev.hutong.miniapp.runtime.ScopeGrants;
import dev.hutong.miniapp.runtime.StorageException;
import dev.hutong.openapi.OAuthService;
import dev.hutong.openapi.OpenApiException;
import dev.hutong.pay.Trade;
import dev.hutong.pay.TradeException;
import dev.hutong.pay.TradeService;
import dev.hutong.server.web.WebException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The server half of the mini-program bridge: what the shell's runtime calls, with the user's
 * session, on behalf of the app it hosts (the app itself never reaches these; it has no cookies
 * and its CSP allows no connection to the shell). Answers are JSON; refusals are
 * {@code {"error": CODE, "message": "...", "bridge_error": N}} where N is the numeric error the
 * bridge gives the app (Alipay's codes).
 *
 * <pre>
 * POST   /api/apps/{appId}/launch           {page?}            the version, a launch ticket, the entry URL
 * POST   /api/apps/{appId}/storage/{op}     set|get|remove|clear|info  {key?, data?}
 * POST   /api/apps/{appId}/auth-code        {scopes:[auth_base|auth_user]}
 * GET    /api/apps/{appId}/ext-config
 * GET    /api/apps/{appId}/trades/{tradeNo}  whether the app may open the cashier for this trade
 * GET    /api/apps/{appId}/scopes           device scopes granted
 * POST   /api/apps/{appId}/scopes/{scope}   grant (after the shell's consent sheet)
 * GET    /api/me/apps                       every app holding a scope, with its scopes
 * DELETE /api/me/apps/{appId}/scopes/{scope}  revoke
 * </pre>
 */
public final class BridgeRoutes {
  /** Largest body: a 200 KB value, JSON-escaped, with room to spare. */
  static final int BODY_BYTES_MAX = 1024 * 1024;
  /** Longest launch page path plus query. */
  static final int PAGE_CHARS_MAX = 1024;
  private static final Pattern APP_ID = Pattern.compile("[a-z0-9-]{1,63}");
  private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9_\\-/]{1,255}");
  /** The user-facing names of the OAuth consents, as the settings screen lists them. */
  static final String USER_INFO = "scope.userInfo";

  /** The components the bridge calls; built by the composition root. */
  public record Services(Apps apps, Versions versions, VersionResolver resolver,
      Templates templates, UserApps userApps, AppStorage storage, ScopeGrants grants,
      OAuthService oauth, LaunchTickets tickets, TradeService trades, Merchants merchants) {}

  /** A refusal with its HTTP status, code and the bridge's numeric error. */
  static final class BridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Status status;
    final String code;
    final int bridgeError;

    BridgeException(Status status, String code, int bridgeError, String message) {
      super(message);
      this.status = status;
      this.code = code;
      this.bridgeError = bridgeError;
    }
  }

  @FunctionalInterface
  private interface Endpoint {
    Object handle(ServerRequest request, UUID userId);
  }

  private final Services s;
  private final SignedInUser signedIn;
  private final AppHosts hosts;
  private final ObjectMapper mapper;

  public BridgeRoutes(Services services, SignedInUser signedIn, AppHosts hosts,
      ObjectMapper mapper) {
    this.s = services;
    this.signedIn = signedIn;
    this.hosts = hosts;
    this.mapper = mapper;
  }

  public void register(HttpRouting.Builder routing) {
    routing
        .post("/api/apps/{appId}/launch", wrap(this::launch))
        .post("/api/apps/{appId}/storage/{op}", wrap(this::storage))
        .post("/api/apps/{appId}/auth-code", wrap(this::authCode))
        .get("/api/apps/{appId}/ext-config", wrap(this::extConfig))
        .get("/api/apps/{appId}/trades/{tradeNo}", wrap(this::tradeOfApp))
        .get("/api/apps/{appId}/scopes", wrap(this::scopes))
        .post("/api/apps/{appId}/scopes/{scope}", wrap(this::grant))
        .get("/api/me/apps", wrap(this::myApps))
        .delete("/api/me/apps/{appId}/scopes/{scope}", wrap(this::revoke));
  }

  private Handler wrap(Endpoint endpoint) {
    return (request, response) -> {
      Object body;
      try {
        UUID userId = signedIn.require(request);
        body = endpoint.handle(request, userId);
      } catch (WebException e) {
        // No session (401), or a state-changing call without our origin and CSRF token (403).
        send(response, e.status(), Map.of("error", e.code(), "message", e.getMessage(),
            "bridge_error", 4));
        return;
      } catch (BridgeException e) {
        send(response, e.status, Map.of("error", e.code, "message", e.getMessage(),
            "bridge_error", e.bridgeError));
        return;
      } catch (StorageException e) {
        send(response, Status.BAD_REQUEST_400, Map.of("error", "STORAGE", "message",
            e.getMessage(), "bridge_error", e.code()));
        return;
      } catch (OpenApiException e) {
        send(response, Status.BAD_REQUEST_400, Map.of("error", e.subCode(), "message",
            e.getMessage(), "bridge_error", 3));
        return;
      }
      send(response, Status.OK_200, body);
    };
  }

  // ------------------------------------------------------------------ endpoints

  private Object launch(ServerRequest request, UUID userId) {
    App app = app(request);
    JsonNode body = body(request);
    ResolvedVersion resolved = s.resolver().versionFor(app.appId(), userId)
        .orElseThrow(() -> new BridgeException(Status.NOT_FOUND_404, "APP_NOT_AVAILABLE", 4,
            "app " + app.appId() + " has no version for you (it is not online)"));
    JsonNode appJson = s.versions().get(app.appId(), resolved.version()).appJson();
    String page = page(body.path("page").asText(""), appJson);
    String ticket = s.tickets().issue(userId, app.appId(), resolved.version(),
        resolved.envVersion());
    s.userApps().recordOpen(userId, app.appId());
    LaunchAnswer.Launch launch = new LaunchAnswer.Launch(app, resolved.version(),
        resolved.envVersion(), appJson, page, ticket, LaunchTickets.TTL,
        LaunchAnswer.merchantStatus(s.merchants(), app));
    return LaunchAnswer.of(launch, hosts, s.templates().extConfig(app.appId(),
        resolved.version()), s.grants().scopes(userId, app.appId()));
  }

  private Object storage(ServerRequest request, UUID userId) {
    String appId = app(request).appId();
    JsonNode body = body(request);
    String key = body.path("key").isTextual() ? body.path("key").asText() : null;
    return switch (request.path().pathParameters().get("op")) {
      case "set" -> {
        if (!body.has("data")) {
          throw new StorageException(StorageException.INVALID_PARAMETER, "data is required");
        }
        s.storage().set(userId, appId, key, json(body.get("data")));
        yield Map.of("success", true);
      }
      case "get" -> {
        var found = s.storage().get(userId, appId, key);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", found.map(this::parse).orElse(null));
        yield out;
      }
      case "remove" -> {
        s.storage().remove(userId, appId, key);
        yield Map.of("success", true);
      }
      case "clear" -> {
        s.storage().clear(userId, appId);
        yield Map.of("success", true);
      }
      case "info" -> Map.of("keys", s.storage().keys(userId, appId),
          "currentSize", (s.storage().usedBytes(userId, appId) + 1023) / 1024,
          "limitSize", AppStorage.APP_BYTES_MAX / 1024);
      default -> throw new BridgeException(Status.NOT_FOUND_404, "NO_SUCH_OPERATION", 1,
          "storage operations are set, get, remove, clear and info");
    };
  }

  private Object authCode(ServerRequest request, UUID userId) {
    String appId = app(request).appId();
    JsonNode scopes = body(request).path("scopes");
    Set<String> wanted = new LinkedHashSet<>();
    if (scopes.isTextual()) {
      wanted.add(scopes.asText());
    } else if (scopes.isArray() && scopes.size() <= 4) {
      scopes.forEach(n -> wanted.add(n.asText()));
    }
    if (wanted.isEmpty() || !Set.of(OAuthService.AUTH_BASE, OAuthService.AUTH_USER)
        .containsAll(wanted)) {
      throw new BridgeException(Status.BAD_REQUEST_400, "INVALID_SCOPE", 2,
          "scopes must be auth_base or auth_user");
    }
    String code = s.oauth().issueCode(userId, appId, wanted);
    return Map.of("authCode", code, "authSuccessScopes", List.copyOf(wanted));
  }

  private Object extConfig(ServerRequest request, UUID userId) {
    String appId = app(request).appId();
    ResolvedVersion resolved = s.resolver().versionFor(appId, userId)
        .orElseThrow(() -> new BridgeException(Status.NOT_FOUND_404, "APP_NOT_AVAILABLE", 4,
            "app " + appId + " has no version for you"));
    return Map.of("data", s.templates().extConfig(appId, resolved.version()));
  }

  /**
   * my.tradePay opens the cashier only for a trade the calling app created: an app cannot put
   * another merchant's order in front of the user.
   */
  private Object tradeOfApp(ServerRequest request, UUID userId) {
    String appId = app(request).appId();
    String tradeNo = request.path().pathParameters().get("tradeNo");
    Trade trade;
    try {
      trade = tradeNo.length() <= 64 ? s.trades().byTradeNo(tradeNo) : null;
    } catch (TradeException e) {
      trade = null;
    }
    if (trade == null || !appId.equals(trade.appId())) {
      throw new BridgeException(Status.NOT_FOUND_404, "TRADE_NOT_OF_APP", 4, "app " + appId
          + " has no trade " + (tradeNo.length() > 64 ? tradeNo.substring(0, 64) : tradeNo));
    }
    return Map.of("trade_no", trade.tradeNo());
  }

  private Object scopes(ServerRequest request, UUID userId) {
    String appId = app(request).appId();
    return Map.of("scopes", allScopes(userId, appId));
  }

  private Object grant(ServerRequest request, UUID userId) {
    String appId = app(request).appId();
    String scope = request.path().pathParameters().get("scope");
    if (!ScopeGrants.SCOPES.contains(scope)) {
      throw new BridgeException(Status.BAD_REQUEST_400, "INVALID_SCOPE", 2, "device scopes are "
          + new TreeSet<>(ScopeGrants.SCOPES) + "; auth scopes are granted by getAuthCode");
    }
    s.grants().grant(userId, appId, scope);
    return Map.of("scopes", allScopes(userId, appId));
  }

  private Object myApps(ServerRequest request, UUID userId) {
    Set<String> appIds = new TreeSet<>(s.grants().apps(userId));
    appIds.addAll(s.userApps().recent(userId, UserApps.RECENT_KEPT));
    List<Map<String, Object>> out = new ArrayList<>();
    for (String appId : appIds) {
      List<String> scopes = allScopes(userId, appId);
      var app = s.apps().find(appId);
      if (!scopes.isEmpty() && app.isPresent()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("app_id", appId);
        row.put("name", app.get().profile().name());
        row.put("icon", app.get().profile().iconPath());
        row.put("scopes", scopes);
        out.add(row);
      }
    }
    return Map.of("apps", out);
  }

  private Object revoke(ServerRequest request, UUID userId) {
    String appId = appIdParam(request);
    String scope = request.path().pathParameters().get("scope");
    boolean revoked;
    if (ScopeGrants.SCOPES.contains(scope)) {
      revoked = s.grants().revoke(userId, appId, scope);
    } else if (scope.equals(USER_INFO) || scope.equals(OAuthService.AUTH_USER)
        || scope.equals(OAuthService.AUTH_BASE)) {
      // The open platform keeps one consent per user and app: taking it back ends both.
      revoked = s.oauth().revokeConsent(userId, appId);
    } else {
      throw new BridgeException(Status.BAD_REQUEST_400, "INVALID_SCOPE", 2, "no scope '"
          + scope + "'; scopes are scope.userInfo, auth_base, " + new TreeSet<>(
          ScopeGrants.SCOPES));
    }
    return Map.of("revoked", revoked, "scopes", allScopes(userId, appId));
  }

  // ------------------------------------------------------------------ helpers

  /** Device grants plus the OAuth consent (auth_user shown as scope.userInfo), sorted. */
  private List<String> allScopes(UUID userId, String appId) {
    Set<String> all = new TreeSet<>(s.grants().scopes(userId, appId));
    Set<String> oauth = s.oauth().consentedScopes(userId, appId);
    all.addAll(oauth);
    if (oauth.contains(OAuthService.AUTH_USER)) {
      all.add(USER_INFO);
    }
    return List.copyOf(all);
  }

  private App app(ServerRequest request) {
    String appId = appIdParam(request);
    return s.apps().find(appId).orElseThrow(() -> new BridgeException(Status.NOT_FOUND_404,
        "APP_NOT_FOUND", 4, "no app " + appId));
  }

  private static String appIdParam(ServerRequest request) {
    String appId = request.path().pathParameters().get("appId");
    if (!APP_ID.matcher(appId).matches()) {
      throw new BridgeException(Status.BAD_REQUEST_400, "INVALID_APP_ID", 2,
          "an app id is 1-63 lower-case letters, digits and hyphens");
    }
    return appId;
  }

  /** The launch page: one of the app's pages (the first when none is asked for). */
  static String page(String asked, JsonNode appJson) {
    List<String> pages = new ArrayList<>();
    appJson.path("pages").forEach(p -> pages.add(p.asText()));
    appJson.path("subPackages").forEach(sp -> sp.path("pages").forEach(
        p -> pages.add(sp.path("root").asText() + "/" + p.asText())));
    String page = asked.startsWith("/") ? asked.substring(1) : asked;
    if (page.isEmpty()) {
      return pages.get(0);
    }
    if (page.length() > PAGE_CHARS_MAX || !PAGE.matcher(page).matches()
        || !pages.contains(page)) {
      throw new BridgeException(Status.BAD_REQUEST_400, "PAGE_NOT_FOUND", 2, "the app has no"
          + " page '" + (page.length() > 100 ? page.substring(0, 100) + "..." : page) + "'");
    }
    return page;
  }

  private JsonNode body(ServerRequest request) {
    if (!request.content().hasEntity()) {
      return mapper.createObjectNode();
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] bytes = in.readNBytes(BODY_BYTES_MAX + 1);
      if (bytes.length > BODY_BYTES_MAX) {
        throw new BridgeException(Status.REQUEST_ENTITY_TOO_LARGE_413, "BODY_TOO_LARGE", 14,
            "the request body is over " + BODY_BYTES_MAX + " bytes");
      }
      if (bytes.length == 0) {
        return mapper.createObjectNode();
      }
      JsonNode node = mapper.readTree(bytes);
      if (!(node instanceof ObjectNode)) {
        throw new BridgeException(Status.BAD_REQUEST_400, "INVALID_BODY", 2,
            "the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new BridgeException(Status.BAD_REQUEST_400, "INVALID_BODY", 2,
          "the body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String json(JsonNode value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode parse(String text) {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored storage value is not JSON", e);
    }
  }

  private void send(ServerResponse response, Status status, Object body) {
    try {
      byte[] bytes = mapper.writeValueAsBytes(body);
      response.status(status);
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.header(HeaderNames.CACHE_CONTROL, "no-store");
      response.send(bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
