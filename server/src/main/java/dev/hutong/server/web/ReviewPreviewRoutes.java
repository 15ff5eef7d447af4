package dev.hutong.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.AuditLog;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.SessionRole;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.EnvVersion;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.Templates;
import dev.hutong.miniapp.Version;
import dev.hutong.miniapp.VersionState;
import dev.hutong.miniapp.Versions;
import dev.hutong.miniapp.runtime.AppStorage;
import dev.hutong.miniapp.runtime.LaunchTickets;
import dev.hutong.server.runtime.AppHosts;
import dev.hutong.server.runtime.LaunchAnswer;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The review console's live preview (docs/operator-console.md, "Live preview"). An operator has no
 * shell user, so a version under review cannot be launched the shell's way; instead the console
 * asks for a preview of exactly one version in AUDITING and gets a short-lived preview ticket
 * ({@link LaunchTickets#issuePreview}) for the app's own origin, which serves it only while the
 * version is still under review. The console mounts it with the shell's runtime, whose server
 * calls come here instead of {@code /api/apps/...}:
 *
 * <pre>
 * POST /ops/api/review/{appId}/{version}/preview                  the launch (audited)
 * GET  /ops/api/review/{appId}/{version}/preview/scopes           none: nothing is ever granted
 * POST /ops/api/review/{appId}/{version}/preview/storage/{get|info}  empty: a preview has no user
 * POST …/storage/{set|remove|clear}, …/auth-code, …/scopes/{scope}, GET …/trades/{tradeNo}
 *                                                                  refused (bridge error 4)
 * </pre>
 *
 * Refusals are what the runtime hands the app: {@code {"error":"NOT_AVAILABLE_IN_PREVIEW",
 * "message":"my.tradePay is not available in review preview …","bridge_error":4}}. Nothing here
 * touches a wallet, a user's storage or an OAuth consent.
 */
public final class ReviewPreviewRoutes implements Routes {
  private static final String API = OpsRoutes.API + "/review/{appId}/{version}/preview";
  static final String REFUSED = "NOT_AVAILABLE_IN_PREVIEW";
  /** Alipay's "no permission" bridge error. */
  static final int BRIDGE_NO_PERMISSION = 4;

  /** The components a preview needs; built by the composition root. */
  public record Services(Apps apps, Versions versions, Templates templates, Merchants merchants,
      LaunchTickets tickets, AppHosts hosts, AuditLog audit) {}

  private final Services s;
  private final WebAuth auth;
  private final JsonApi api;

  public ReviewPreviewRoutes(Services services, WebAuth auth, ObjectMapper mapper) {
    this.s = services;
    this.auth = auth;
    this.api = new JsonApi(mapper);
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing.post(API, api.wrap(this::launch))
        .get(API + "/scopes", api.wrap(this::scopes))
        .post(API + "/storage/{op}", api.wrap(this::storage))
        .post(API + "/auth-code", api.wrap((req, res) -> refuse(req, res, "my.getAuthCode",
            "a preview has no user to authorise")))
        .post(API + "/scopes/{scope}", api.wrap((req, res) -> refuse(req, res,
            "asking for " + req.path().pathParameters().get("scope"),
            "a preview has no user to grant it")))
        .get(API + "/trades/{tradeNo}", api.wrap((req, res) -> refuse(req, res, "my.tradePay",
            "no money moves in a preview")));
  }

  private Object launch(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.OPERATOR);
    Version v = underReview(request);
    App app = s.apps().get(v.appId());
    String page = v.appJson().path("pages").path(0).asText();
    String ticket = s.tickets().issuePreview(p.id(), v.appId(), v.version());
    s.audit().append(ReviewConsoleRoutes.actor(p), "review.preview", "miniapp:" + v.appId() + "@" + v.version(),
        "live preview opened");
    LaunchAnswer.Launch launch = new LaunchAnswer.Launch(app, v.version(),
        EnvVersion.TRIAL, v.appJson(), page, ticket,
        LaunchTickets.PREVIEW_TTL, LaunchAnswer.merchantStatus(s.merchants(), app));
    Map<String, Object> out = new LinkedHashMap<>(LaunchAnswer.of(launch, s.hosts(),
        s.templates().extConfig(v.appId(), v.version()), List.of()));
    out.put("preview", true);
    out.put("api_base", OpsRoutes.API + "/review/" + v.appId() + "/" + v.version() + "/preview/");
    return out;
  }

  private Object scopes(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    underReview(request);
    return JsonApi.fields("scopes", List.of());
  }

  /** Reading answers what a new user would see (nothing); writing needs a user and is refused. */
  private Object storage(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    underReview(request);
    return switch (request.path().pathParameters().get("op")) {
      case "get" -> JsonApi.fields("data", null);
      case "info" -> JsonApi.fields("keys", List.of(), "currentSize", 0,
          "limitSize", AppStorage.APP_BYTES_MAX / 1024);
      case "set", "remove", "clear" -> refuse(request, response, "my.setStorage",
          "storage belongs to a user and a preview has none");
      default -> throw new WebException(Status.NOT_FOUND_404, "NO_SUCH_OPERATION",
          "storage operations are set, get, remove, clear and info");
    };
  }

  private Object refuse(ServerRequest request, ServerResponse response, String what,
      String why) {
    auth.require(request, SessionRole.OPERATOR);
    response.status(Status.FORBIDDEN_403);
    return JsonApi.fields("error", REFUSED, "message", what
        + " is not available in review preview (" + why + ")", "bridge_error",
        BRIDGE_NO_PERMISSION);
  }

  /** The version the path names, which must be waiting for review (else 404 / 409). */
  private Version underReview(ServerRequest request) {
    String appId = request.path().pathParameters().get("appId");
    Version v;
    try {
      v = s.versions().find(appId, SemVer.parse(request.path().pathParameters().get("version")))
          .orElse(null);
    } catch (MiniappException e) {
      v = null;
    }
    if (v == null) {
      throw new WebException(Status.NOT_FOUND_404, "version_not_found", "no such version");
    }
    if (v.state() != VersionState.AUDITING) {
      throw new WebException(Status.CONFLICT_409, "not_under_review", "version " + v.version()
          + " of " + appId + " is " + v.state() + "; only a version under review (AUDITING)"
          + " can be previewed here");
    }
    return v;
  }
}
