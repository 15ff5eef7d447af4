package dev.hutong.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.AuditLog;
import dev.hutong.identity.SessionRole;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.AppKind;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.Finding;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.ReviewItem;
import dev.hutong.miniapp.ReviewQueue;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.Version;
import dev.hutong.miniapp.VersionDiff;
import dev.hutong.miniapp.Versions;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's review queue under {@code /ops/api/review}: mini-program versions waiting for
 * review with their diff against the version online, approve (with a note) or reject (with a
 * reason the developer sees as a finding). Uses the lifecycle's {@link Versions} (the same steps
 * as the admin API) and appends every decision to the audit log.
 */
public final class ReviewConsoleRoutes implements Routes {
  private static final String API = OpsRoutes.API + "/review";
  private static final int REASON_CHARS_MAX = 1000;

  private final Versions versions;
  private final Apps apps;
  private final ReviewQueue queue;
  private final AuditLog audit;
  private final WebAuth auth;
  private final JsonApi api;

  public ReviewConsoleRoutes(Versions versions, Apps apps, ReviewQueue queue, AuditLog audit,
      WebAuth auth, ObjectMapper mapper) {
    this.versions = versions;
    this.apps = apps;
    this.queue = queue;
    this.audit = audit;
    this.auth = auth;
    this.api = new JsonApi(mapper);
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing.get(API, api.wrap(this::pending))
        .post(API + "/{appId}/{version}/approve", api.wrap(this::approve))
        .post(API + "/{appId}/{version}/reject", api.wrap(this::reject));
  }

  private Object pending(ServerRequest request, ServerResponse response) {
    auth.require(request, SessionRole.OPERATOR);
    List<ReviewItem> items = queue.pending(ReviewQueue.PAGE_MAX);
    return JsonApi.fields("pending", items.stream().map(ReviewConsoleRoutes::view).toList());
  }

  private Object approve(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.OPERATOR);
    JsonBody b = JsonBody.read(request, Set.of("note"));
    String note = b.optional("note").orElse(null);
    return decide(request, p, "review.approve", note == null ? "" : note,
        (appId, v) -> publishInstance(versions.approve(appId, v, actor(p), note), actor(p)));
  }

  /**
   * A merchant's template instance goes online as soon as it is approved: submitting it was the
   * merchant's request to publish, and its code is the template's, reviewed already. Its name
   * follows the reviewed ext's "name", so search finds what the operator approved.
   */
  private Version publishInstance(Version approved, String operator) {
    App app = apps.get(approved.appId());
    if (app.kind() != AppKind.INSTANCE) {
      return approved;
    }
    JsonNode name = approved.ext() == null ? null : approved.ext().get("name");
    if (name != null && name.isTextual() && !name.asText().isBlank()
        && !name.asText().strip().equals(app.profile().name())) {
      AppProfile p = app.profile();
      apps.updateProfile(app.appId(), new AppProfile(name.asText().strip(), p.description(),
          p.category(), p.keywords(), p.city(), p.iconPath()));
    }
    return versions.release(approved.appId(), approved.version(), operator);
  }

  private Object reject(ServerRequest request, ServerResponse response) {
    Principal p = auth.require(request, SessionRole.OPERATOR);
    JsonBody b = JsonBody.read(request, Set.of("reason", "file", "rule"));
    String reason = b.required("reason").strip();
    if (reason.isEmpty() || reason.length() > REASON_CHARS_MAX) {
      throw WebException.badRequest("invalid_reason", "give the developer a reason of 1 to "
          + REASON_CHARS_MAX + " characters");
    }
    Finding finding = new Finding(b.optional("file").orElse("(app)"),
        b.optional("rule").orElse("review"), reason);
    return decide(request, p, "review.reject", reason,
        (appId, v) -> versions.reject(appId, v, actor(p), List.of(finding)));
  }

  private interface Step {
    Version apply(String appId, SemVer version);
  }

  private Object decide(ServerRequest request, Principal p, String action, String detail, Step step) {
    String appId = request.path().pathParameters().get("appId");
    SemVer version;
    try {
      version = SemVer.parse(request.path().pathParameters().get("version"));
    } catch (MiniappException e) {
      throw new WebException(Status.NOT_FOUND_404, "version_not_found", "no such version");
    }
    Version v;
    try {
      v = step.apply(appId, version);
    } catch (MiniappException e) {
      throw new WebException(Status.CONFLICT_409, "MINIAPP." + e.error().name(), e.getMessage());
    }
    audit.append(actor(p), action, "miniapp:" + appId + "@" + version, detail);
    return JsonApi.fields("app_id", v.appId(), "version", v.version().toString(),
        "state", v.state().name());
  }

  static String actor(Principal p) {
    return "operator:" + p.id().toString().substring(0, 8);
  }

  static Map<String, Object> view(ReviewItem r) {
    VersionDiff d = r.diff();
    return JsonApi.fields("app_id", r.appId(), "app_name", r.appName(),
        "merchant_name", r.merchantName(), "version", r.version().toString(),
        "description", r.submission().description(), "category", r.submission().category(),
        "submitted_at", r.submittedAt().toString(),
        "diff", JsonApi.fields("against", d.against() == null ? null : d.against().toString(),
            "files_added", d.filesAdded(), "files_removed", d.filesRemoved(),
            "files_changed", d.filesChanged(), "domains_added", d.domainsAdded(),
            "domains_removed", d.domainsRemoved(), "scopes_added", d.scopesAdded()),
        "template_app_id", r.templateAppId(), "ext", r.ext(),
        "ext_changes", r.extChanges().stream().map(c -> JsonApi.fields("field", c.field(),
            "before", c.before(), "after", c.after())).toList());
  }
}
