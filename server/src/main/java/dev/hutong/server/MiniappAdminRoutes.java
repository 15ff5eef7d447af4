package dev.hutong.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.AppKind;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.AuditSubmission;
import dev.hutong.miniapp.Finding;
import dev.hutong.miniapp.MiniappError;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.NewApp;
import dev.hutong.miniapp.PackageRejectedException;
import dev.hutong.miniapp.ReviewItem;
import dev.hutong.miniapp.ReviewQueue;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.ValidatedPackage;
import dev.hutong.miniapp.Version;
import dev.hutong.miniapp.VersionDiff;
import dev.hutong.miniapp.VersionState;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The operator's mini-program API under {@code /admin/miniapps} and {@code /admin/review}, in the
 * style of {@link AdminRoutes} (same token, same error shape): create apps, upload packages, move
 * versions through the lifecycle, and review. {@code hutong miniapp ...} calls it.
 *
 * <p>Idempotency: uploading the same DEVELOP version again replaces its files with the same ones;
 * a lifecycle step whose version is already where the step leads answers 200 with
 * {@code "unchanged":"true"} instead of TRANSITION_FORBIDDEN, so a retry after a lost answer is
 * harmless; creating an app with an explicit app_id that exists for the same merchant answers it.
 */
final class MiniappAdminRoutes {
  static final String APPS = AdminRoutes.PREFIX + "/miniapps";
  static final String VERSION = APPS + "/{appId}/versions/{version}";
  /** Who the lifecycle records for operator steps. */
  static final String OPERATOR = "operator";
  /** A review decision's body: up to 50 findings of about 1.3 KB each. */
  static final int REJECT_BODY_BYTES_MAX = 128 * 1024;
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final AdminRoutes admin;
  private final Miniapps m;

  MiniappAdminRoutes(AdminRoutes admin, Miniapps miniapps) {
    this.admin = admin;
    this.m = miniapps;
  }

  /** Registered before {@link AdminRoutes#register}, whose catch-all would answer these paths. */
  void register(HttpRouting.Builder routing) {
    routing
        .post(APPS, handler(this::createApp))
        .get(APPS + "/{appId}", handler(this::getApp))
        .get(APPS + "/{appId}/versions", handler(this::listVersions))
        .put(VERSION + "/package", handler(this::upload))
        .get(VERSION, handler(this::getVersion))
        .post(VERSION + "/trial", handler(this::trial))
        .post(VERSION + "/develop", handler(r -> bodiless(r, VersionState.DEVELOP,
            () -> m.versions.returnToDevelop(appId(r), version(r), OPERATOR))))
        .post(VERSION + "/submit", handler(this::submit))
        .post(VERSION + "/cancel-audit", handler(r -> bodiless(r, VersionState.DEVELOP,
            () -> m.versions.cancelAudit(appId(r), version(r), OPERATOR))))
        .post(VERSION + "/approve", handler(this::approve))
        .post(VERSION + "/reject", handler(this::reject))
        .post(VERSION + "/gray", handler(this::gray))
        .post(VERSION + "/cancel-gray", handler(r -> bodiless(r, VersionState.APPROVED,
            () -> m.versions.cancelGray(appId(r), version(r), OPERATOR))))
        .post(VERSION + "/release", handler(r -> bodiless(r, VersionState.ONLINE,
            () -> m.versions.release(appId(r), version(r), OPERATOR))))
        .post(VERSION + "/offline", handler(r -> bodiless(r, VersionState.OFFLINE,
            () -> m.versions.offline(appId(r), version(r), OPERATOR))))
        .post(APPS + "/{appId}/rollback", handler(this::rollback))
        .get(AdminRoutes.PREFIX + "/review", handler(this::pending));
  }

  // ------------------------------------------------------------------ apps

  private AdminRoutes.Reply createApp(ServerRequest request) {
    AdminBody body = admin.body(request, "merchant_id", "app_id", "kind", "name", "description",
        "category", "keywords", "city", "icon");
    UUID merchant = body.requiredId("merchant_id");
    Optional<String> appId = body.optional("app_id");
    AppKind kind = body.optional("kind").map(MiniappAdminRoutes::kind).orElse(AppKind.APP);
    AppProfile profile = new AppProfile(body.required("name"),
        body.optional("description").orElse(""), body.optional("category").orElse("general"),
        body.optional("keywords").map(MiniappAdminRoutes::list).orElse(List.of()),
        body.optional("city").orElse(""), body.optional("icon").orElse(null));
    if (appId.isPresent()) {
      Optional<App> existing = m.apps.find(appId.get());
      if (existing.isPresent() && existing.get().merchantId().equals(merchant)
          && existing.get().kind() == kind) {
        return AdminRoutes.Reply.ok(app(existing.get()));
      }
    }
    App app = m.apps.create(new NewApp(appId.orElse(null), merchant, kind, profile));
    return AdminRoutes.Reply.created(app(app));
  }

  private AdminRoutes.Reply getApp(ServerRequest request) {
    admin.emptyBody(request);
    return AdminRoutes.Reply.ok(app(m.apps.get(appId(request))));
  }

  private AdminRoutes.Reply listVersions(ServerRequest request) {
    admin.emptyBody(request);
    String appId = appId(request);
    m.apps.get(appId);
    List<Map<String, Object>> list = m.versions.list(appId).stream()
        .map(MiniappAdminRoutes::version).toList();
    return AdminRoutes.Reply.ok(AdminRoutes.fields("app_id", appId, "versions", list));
  }

  // ------------------------------------------------------------------ versions

  /** The body is the zip itself ({@code application/zip}), at most the package limit. */
  private AdminRoutes.Reply upload(ServerRequest request) {
    String contentType = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("")
        .split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!contentType.equals("application/zip")) {
      throw new AdminException(Status.UNSUPPORTED_MEDIA_TYPE_415, "ADMIN.UNSUPPORTED_MEDIA_TYPE",
          "send the package as the body with Content-Type: application/zip");
    }
    byte[] zip = readZip(request);
    ValidatedPackage pkg;
    try {
      pkg = m.validator.validate(zip);
    } catch (PackageRejectedException e) {
      throw e.asMiniappException();
    }
    Version v = m.versions.upload(appId(request), version(request), pkg, OPERATOR);
    return AdminRoutes.Reply.created(version(v));
  }

  private byte[] readZip(ServerRequest request) {
    long max = m.validator.limits().archiveBytesMax();
    if (!request.content().hasEntity()) {
      throw AdminException.badRequest("ADMIN.INVALID_FIELD", "the body must be the package zip");
    }
    if (request.headers().contentLength().orElse(0) > max) {
      throw packageTooLarge(max);
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] bytes = in.readNBytes((int) max + 1);
      if (bytes.length > max) {
        throw packageTooLarge(max);
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the package upload", e);
    }
  }

  private static AdminException packageTooLarge(long max) {
    return new AdminException(Status.REQUEST_ENTITY_TOO_LARGE_413, "MINIAPP.PACKAGE_INVALID",
        "(archive): [archive-size] the zip is larger than " + max + " bytes");
  }

  private AdminRoutes.Reply getVersion(ServerRequest request) {
    admin.emptyBody(request);
    Version v = m.versions.get(appId(request), version(request));
    Map<String, Object> out = version(v);
    out.put("history", m.versions.history(v.appId(), v.version()).stream()
        .map(t -> AdminRoutes.fields("from", t.from() == null ? null : t.from().name(),
            "to", t.to().name(), "actor", t.actor(), "note", t.note(), "at", t.at().toString()))
        .toList());
    out.put("diff", diff(m.review.diff(v.appId(), v.version())));
    return AdminRoutes.Reply.ok(out);
  }

  private AdminRoutes.Reply trial(ServerRequest request) {
    AdminBody body = admin.body(request, "testers");
    List<UUID> testers = list(body.required("testers")).stream()
        .map(t -> AdminBody.id("testers", t)).toList();
    // Always applied (it replaces the testers), so a retry is naturally idempotent.
    return AdminRoutes.Reply.ok(version(m.versions.startTrial(appId(request), version(request),
        testers, OPERATOR)));
  }

  private AdminRoutes.Reply submit(ServerRequest request) {
    AdminBody body = admin.body(request, "description", "category", "screenshots");
    AuditSubmission submission = new AuditSubmission(body.required("description"),
        body.optional("category").orElse("general"),
        body.optional("screenshots").map(MiniappAdminRoutes::list).orElse(List.of()));
    return step(request, VersionState.AUDITING, () -> m.versions.submitAudit(appId(request),
        version(request), submission, OPERATOR));
  }

  private AdminRoutes.Reply approve(ServerRequest request) {
    AdminBody body = admin.body(request, "note");
    String note = body.optional("note").orElse(null);
    return step(request, VersionState.APPROVED, () -> m.versions.approve(appId(request),
        version(request), OPERATOR, note));
  }

  /** {@code {"findings":[{"file":..,"rule":..,"reason":..}, ...]}}: one per problem found. */
  private AdminRoutes.Reply reject(ServerRequest request) {
    List<Finding> findings = findings(request);
    return step(request, VersionState.REJECTED, () -> m.versions.reject(appId(request),
        version(request), OPERATOR, findings));
  }

  /** Starts a gray release, or widens the one running. */
  private AdminRoutes.Reply gray(ServerRequest request) {
    AdminBody body = admin.body(request, "percent");
    String text = body.required("percent");
    int percent;
    try {
      percent = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw AdminException.invalid("percent", "must be a whole number from 1 to 99");
    }
    String appId = appId(request);
    SemVer version = version(request);
    Version current = m.versions.get(appId, version);
    if (current.state() == VersionState.GRAY) {
      if (current.grayPercent() == percent) {
        return unchanged(current);
      }
      return AdminRoutes.Reply.ok(version(m.versions.widenGray(appId, version, percent,
          OPERATOR)));
    }
    return AdminRoutes.Reply.ok(version(m.versions.startGray(appId, version, percent,
        OPERATOR)));
  }

  private AdminRoutes.Reply rollback(ServerRequest request) {
    admin.emptyBody(request);
    return AdminRoutes.Reply.ok(version(m.versions.rollback(appId(request), OPERATOR)));
  }

  private AdminRoutes.Reply pending(ServerRequest request) {
    admin.emptyBody(request);
    String limitText = request.query().first("limit").orElse("20");
    int limit;
    try {
      limit = Integer.parseInt(limitText);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > ReviewQueue.PAGE_MAX) {
      throw AdminException.invalid("limit", "must be from 1 to " + ReviewQueue.PAGE_MAX);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (ReviewItem item : m.review.pending(limit)) {
      items.add(AdminRoutes.fields("app_id", item.appId(), "app_name", item.appName(),
          "merchant_name", item.merchantName(), "version", item.version().toString(),
          "submitted_at", item.submittedAt().toString(), "submission", item.submission(),
          "diff", diff(item.diff())));
    }
    return AdminRoutes.Reply.ok(AdminRoutes.fields("pending", items));
  }

  // ------------------------------------------------------------------ plumbing

  /**
   * Runs a lifecycle step; when it is refused because the version is already where the step
   * leads (a retry), answers the version unchanged.
   */
  private AdminRoutes.Reply step(ServerRequest request, VersionState target,
      Supplier<Version> step) {
    try {
      return AdminRoutes.Reply.ok(version(step.get()));
    } catch (MiniappException e) {
      if (e.error() == MiniappError.TRANSITION_FORBIDDEN) {
        Optional<Version> now = m.versions.find(appId(request), version(request));
        if (now.isPresent() && now.get().state() == target) {
          return unchanged(now.get());
        }
      }
      throw e;
    }
  }

  /** A step that takes no parameters: no body, or an empty JSON object. */
  private AdminRoutes.Reply bodiless(ServerRequest request, VersionState target,
      Supplier<Version> step) {
    admin.emptyBody(request);
    return step(request, target, step);
  }

  private static AdminRoutes.Reply unchanged(Version v) {
    Map<String, Object> out = version(v);
    out.put("unchanged", "true");
    return AdminRoutes.Reply.ok(out);
  }

  /** The admin wrapper (token, errors), with the domain's refusals as 4xx and their details. */
  private io.helidon.webserver.http.Handler handler(AdminRoutes.Handler handler) {
    return admin.wrap(request -> {
      try {
        return handler.handle(request);
      } catch (MiniappException e) {
        Map<String, Object> body = AdminRoutes.fields("error", e.getMessage(),
            "sub_code", "MINIAPP." + e.error().name());
        if (!e.details().isEmpty()) {
          body.put("details", e.details());
        }
        return new AdminRoutes.Reply(statusOf(e.error()), body);
      }
    });
  }

  static Status statusOf(MiniappError error) {
    return switch (error) {
      case APP_NOT_FOUND, VERSION_NOT_FOUND -> Status.NOT_FOUND_404;
      case APP_EXISTS, TRANSITION_FORBIDDEN, SLOT_TAKEN, TEMPLATE_NOT_APPROVED, LIMIT_REACHED ->
          Status.CONFLICT_409;
      default -> Status.BAD_REQUEST_400;
    };
  }

  private static String appId(ServerRequest request) {
    return request.path().pathParameters().get("appId");
  }

  private static SemVer version(ServerRequest request) {
    return SemVer.parse(request.path().pathParameters().get("version"));
  }

  private List<Finding> findings(ServerRequest request) {
    byte[] bytes;
    try (InputStream in = request.content().inputStream()) {
      bytes = in.readNBytes(REJECT_BODY_BYTES_MAX + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the review decision", e);
    }
    if (bytes.length > REJECT_BODY_BYTES_MAX) {
      throw new AdminException(Status.REQUEST_ENTITY_TOO_LARGE_413, "ADMIN.BODY_TOO_LARGE",
          "a rejection is at most " + REJECT_BODY_BYTES_MAX + " bytes");
    }
    String fix = "send {\"findings\":[{\"file\":\"pages/a/a.js\",\"rule\":\"...\",\"reason\":"
        + "\"what to change\"}]}";
    JsonNode tree;
    try {
      tree = STRICT.readTree(bytes);
    } catch (IOException e) {
      throw AdminException.badRequest("ADMIN.INVALID_JSON", "the body is not valid JSON; " + fix);
    }
    if (tree == null || !tree.isObject() || tree.size() != 1 || !tree.path("findings").isArray()) {
      throw AdminException.badRequest("ADMIN.INVALID_JSON", fix);
    }
    List<Finding> out = new ArrayList<>();
    for (JsonNode f : tree.get("findings")) {
      Set<String> names = new LinkedHashSet<>();
      f.fieldNames().forEachRemaining(names::add);
      if (!f.isObject() || !Set.of("file", "rule", "reason").containsAll(names)
          || !f.path("file").isTextual() || !f.path("rule").isTextual()
          || !f.path("reason").isTextual()) {
        throw AdminException.badRequest("ADMIN.INVALID_FIELD", "each finding is an object of"
            + " three strings: file, rule, reason; " + fix);
      }
      out.add(new Finding(f.get("file").asText(), f.get("rule").asText(),
          f.get("reason").asText()));
    }
    return out;
  }

  private static AppKind kind(String text) {
    return switch (text) {
      case "APP", "app" -> AppKind.APP;
      case "TEMPLATE", "template" -> AppKind.TEMPLATE;
      default -> throw AdminException.invalid("kind", "must be APP or TEMPLATE (instances are"
          + " made from a template through alipay.open.mini.version.upload)");
    };
  }

  /** A comma-separated list, blanks dropped. */
  static List<String> list(String text) {
    return Arrays.stream(text.split(",", -1)).map(String::strip).filter(s -> !s.isEmpty())
        .toList();
  }

  static Map<String, Object> diff(VersionDiff d) {
    return AdminRoutes.fields("against", d.against() == null ? null : d.against().toString(),
        "files_added", d.filesAdded(), "files_removed", d.filesRemoved(),
        "files_changed", d.filesChanged(), "domains_added", d.domainsAdded(),
        "domains_removed", d.domainsRemoved(), "scopes_added", d.scopesAdded());
  }

  static Map<String, Object> app(App app) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app_id", app.appId());
    out.put("merchant_id", app.merchantId().toString());
    out.put("kind", app.kind().name());
    out.put("name", app.profile().name());
    out.put("category", app.profile().category());
    out.put("status", app.status().name());
    if (app.templateAppId() != null) {
      out.put("template_app_id", app.templateAppId());
    }
    return out;
  }

  static Map<String, Object> version(Version v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app_id", v.appId());
    out.put("version", v.version().toString());
    out.put("state", v.state().name());
    out.put("files", v.fileCount());
    out.put("total_bytes", v.totalBytes());
    if (v.state() == VersionState.GRAY) {
      out.put("gray_percent", v.grayPercent());
    }
    if (!v.findings().isEmpty()) {
      out.put("findings", v.findings());
    }
    if (v.templateAppId() != null) {
      out.put("template_app_id", v.templateAppId());
      out.put("template_version", v.templateVersion().toString());
    }
    out.put("updated_at", v.updatedAt().toString());
    return out;
  }
}
