package dev.hutong.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.MerchantStaff;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.SessionRole;
import dev.hutong.identity.StaffMember;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.AppKind;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.AuditSubmission;
import dev.hutong.miniapp.LaunchLinks;
import dev.hutong.miniapp.MiniappError;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.NewApp;
import dev.hutong.miniapp.QrCodes;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.TemplateOffer;
import dev.hutong.miniapp.Templates;
import dev.hutong.miniapp.Version;
import dev.hutong.miniapp.VersionState;
import dev.hutong.miniapp.Versions;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The portal's mini-programs made from templates, under {@code /merchant/api/templates} and
 * {@code /merchant/api/miniapps} (docs/merchants.md): list the templates, create an instance
 * from one with an ext the form built from its schema, preview it as a trial for the owner's own
 * Hutong user, submit it for review, read the operators' reasons, fix the ext and resubmit.
 * Only the merchant's OWNER may (as for its other apps); an instance of another merchant answers
 * 404 as if it did not exist. Instance drafts are reviewed on their ext (Templates#draft).
 */
public final class MerchantMiniappRoutes implements Routes {
  private static final String API = MerchantRoutes.API;
  /** An ext is at most 64 KB; the body carries it and a few short fields. */
  static final int BODY_BYTES_MAX = Templates.EXT_BYTES_MAX + 4 * 1024;
  static final SemVer FIRST = SemVer.parse("1.0.0");

  /** What these routes call; built by the composition root. */
  public record Services(MerchantStaff staff, Merchants merchants, Users users, Apps apps,
      Versions versions, Templates templates, LaunchLinks links) {}

  private final Services s;
  private final WebAuth auth;
  private final JsonApi api;

  public MerchantMiniappRoutes(Services services, WebAuth auth, ObjectMapper mapper) {
    this.s = services;
    this.auth = auth;
    this.api = new JsonApi(mapper);
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing.get(API + "/templates", api.wrap(this::templates))
        .get(API + "/miniapps", api.wrap(this::list))
        .post(API + "/miniapps", api.wrap(this::create))
        .get(API + "/miniapps/{appId}", api.wrap(this::detail))
        .post(API + "/miniapps/{appId}/ext", api.wrap(this::revise))
        .post(API + "/miniapps/{appId}/preview", api.wrap(this::preview))
        .post(API + "/miniapps/{appId}/submit", api.wrap(this::submit));
  }

  private Object templates(ServerRequest request, ServerResponse response) {
    owner(request);
    return JsonApi.fields("templates", s.templates().offers().stream()
        .map(MerchantMiniappRoutes::view).toList());
  }

  private Object list(ServerRequest request, ServerResponse response) {
    StaffMember st = owner(request);
    return JsonApi.fields("miniapps", s.apps().byMerchant(st.merchantId()).stream()
        .filter(a -> a.kind() == AppKind.INSTANCE).map(a -> summary(a, newest(a))).toList());
  }

  private Object create(ServerRequest request, ServerResponse response) {
    StaffMember st = owner(request);
    String appId = appIdFor(st, MerchantRoutes.idempotencyKey(request));
    Optional<App> again = s.apps().find(appId);
    if (again.isPresent()) {
      return detail(ownedBy(st, again.get()));
    }
    JsonBody b = JsonBody.readWithDocument(request, Set.of("template_app_id", "template_version",
        "name", "description", "city", "ext"), BODY_BYTES_MAX);
    String templateAppId = b.required("template_app_id");
    SemVer templateVersion = semVer(b.required("template_version"), "template_version");
    JsonNode ext = b.node("ext");
    TemplateOffer offer = s.templates().offers().stream()
        .filter(o -> o.appId().equals(templateAppId)).findFirst()
        .orElseThrow(() -> new WebException(Status.NOT_FOUND_404, "template_not_found",
            "no template " + templateAppId + " is offered to merchants"));
    try {
      // Checked before the name is needed: it is often the ext's own "name".
      s.templates().requireValidExt(templateAppId, templateVersion, ext);
    } catch (MiniappException e) {
      return refusal(response, e);
    }
    String city = b.optional("city").orElseGet(() -> s.merchants().profile(st.merchantId())
        .map(p -> p.city() == null ? "" : p.city()).orElse(""));
    AppProfile profile = new AppProfile(nameOf(ext, b.optional("name").orElse(null)),
        b.required("description"), offer.profile().category(), List.of(), city, null);
    return answer(response, Status.CREATED_201, () -> {
      Version v = s.templates().draft(new NewApp(appId, st.merchantId(), AppKind.INSTANCE,
          profile), templateAppId, templateVersion, FIRST, ext, actor(st));
      return detail(s.apps().get(v.appId()));
    });
  }

  private Object detail(ServerRequest request, ServerResponse response) {
    return detail(owned(request));
  }

  private Object revise(ServerRequest request, ServerResponse response) {
    StaffMember st = owner(request);
    App app = owned(st, request);
    JsonBody b = JsonBody.readWithDocument(request, Set.of("ext"), BODY_BYTES_MAX);
    JsonNode ext = b.node("ext");
    Version newest = newest(app);
    // Sending the same ext again (a retried request) answers the draft it made.
    if (newest.state() == VersionState.DEVELOP && newest.ext() != null
        && newest.ext().equals(ext)) {
      return detail(app);
    }
    return answer(response, Status.CREATED_201, () -> {
      s.templates().revise(app.appId(), ext, actor(st));
      return detail(app);
    });
  }

  private Object preview(ServerRequest request, ServerResponse response) {
    StaffMember st = owner(request);
    App app = owned(st, request);
    Version v = newest(app);
    String link = s.links().link(app.appId(), null, null);
    if (v.state() == VersionState.ONLINE) {
      return previewAnswer(link, "release", v);
    }
    if (v.state() != VersionState.DEVELOP && v.state() != VersionState.TRIAL) {
      throw new WebException(Status.CONFLICT_409, "not_previewable", "version " + v.version()
          + " is " + v.state() + "; a draft can be previewed before it is submitted (fix the ext"
          + " to make a new draft)");
    }
    User me = s.users().findByPhone(st.login()).orElseThrow(() -> new WebException(
        Status.CONFLICT_409, "no_user_for_preview", "sign up in the Hutong app with your login"
            + " phone " + st.login() + " first: the preview opens there, as a trial for you"));
    return answer(response, Status.OK_200, () -> {
      for (Version other : s.versions().list(app.appId())) {
        if (other.state() == VersionState.TRIAL && !other.version().equals(v.version())) {
          s.versions().returnToDevelop(app.appId(), other.version(), actor(st));
        }
      }
      Version trial = s.versions().startTrial(app.appId(), v.version(), List.of(me.id()),
          actor(st));
      return previewAnswer(link, "trial", trial);
    });
  }

  private static Map<String, Object> previewAnswer(String link, String env, Version v) {
    return JsonApi.fields("link", link, "env_version", env, "version", v.version().toString(),
        "qr_svg", QrCodes.svg(link));
  }

  private Object submit(ServerRequest request, ServerResponse response) {
    StaffMember st = owner(request);
    App app = owned(st, request);
    Version v = newest(app);
    if (v.state() == VersionState.AUDITING) {
      return detail(app);
    }
    return answer(response, Status.OK_200, () -> {
      s.versions().submitAudit(app.appId(), v.version(), new AuditSubmission(
          app.profile().description().isBlank() ? app.profile().name()
              : app.profile().description(), app.profile().category(), List.of()), actor(st));
      return detail(app);
    });
  }

  // ------------------------------------------------------------------ views

  private Map<String, Object> detail(App app) {
    List<Version> all = s.versions().list(app.appId());
    Version newest = all.getFirst();
    Map<String, Object> out = summary(app, newest);
    out.put("description", app.profile().description());
    out.put("schema", s.templates().extSchema(app.templateAppId(), newest.templateVersion()));
    out.put("ext", newest.ext());
    out.put("versions", all.stream().map(v -> JsonApi.fields("version", v.version().toString(),
        "state", v.state().name(), "updated_at", v.updatedAt().toString(),
        "reasons", v.findings() == null ? List.of() : v.findings().stream()
            .map(f -> JsonApi.fields("file", f.file(), "rule", f.rule(), "reason", f.reason()))
            .toList())).toList());
    return out;
  }

  private static Map<String, Object> summary(App app, Version newest) {
    return JsonApi.fields("app_id", app.appId(), "name", app.profile().name(),
        "status", app.status().name(), "template_app_id", app.templateAppId(),
        "template_version", newest.templateVersion().toString(),
        "version", newest.version().toString(), "state", newest.state().name());
  }

  private static Map<String, Object> view(TemplateOffer o) {
    return JsonApi.fields("app_id", o.appId(), "name", o.profile().name(),
        "description", o.profile().description(), "category", o.profile().category(),
        "version", o.version().toString(), "schema", o.extSchema());
  }

  // ------------------------------------------------------------------ helpers

  /** Runs a lifecycle step; its refusals become answers, an invalid ext with every violation. */
  private static Object answer(ServerResponse response, Status ok, Supplier<Object> step) {
    try {
      Object body = step.get();
      response.status(ok);
      return body;
    } catch (MiniappException e) {
      return refusal(response, e);
    }
  }

  private static Object refusal(ServerResponse response, MiniappException e) {
    response.status(statusOf(e.error()));
    return JsonApi.fields("error", "MINIAPP." + e.error().name(), "message", e.getMessage(),
        "violations", e.details());
  }

  private static Status statusOf(MiniappError error) {
    return switch (error) {
      case APP_NOT_FOUND, VERSION_NOT_FOUND -> Status.NOT_FOUND_404;
      case EXT_INVALID -> Status.create(422, "Unprocessable Content");
      case APP_EXISTS, TRANSITION_FORBIDDEN, SLOT_TAKEN, TEMPLATE_NOT_APPROVED -> Status.CONFLICT_409;
      default -> Status.BAD_REQUEST_400;
    };
  }

  private StaffMember owner(ServerRequest request) {
    var p = auth.require(request, SessionRole.MERCHANT_STAFF);
    StaffMember m = s.staff().find(p.id()).orElseThrow(WebException::unauthorized);
    if (m.role() != StaffMember.Role.OWNER) {
      throw WebException.forbidden("owner_only", "only the merchant's owner may do this");
    }
    return m;
  }

  private App owned(ServerRequest request) {
    return owned(owner(request), request);
  }

  private App owned(StaffMember st, ServerRequest request) {
    String appId = request.path().pathParameters().get("appId");
    App app = s.apps().find(appId).orElseThrow(() -> notFound(appId));
    return ownedBy(st, app);
  }

  private static App ownedBy(StaffMember st, App app) {
    if (!st.merchantId().equals(app.merchantId()) || app.kind() != AppKind.INSTANCE) {
      throw notFound(app.appId());
    }
    return app;
  }

  private static WebException notFound(String appId) {
    return new WebException(Status.NOT_FOUND_404, "miniapp_not_found", "you have no"
        + " mini-program " + (appId == null || appId.length() > 64 ? "" : appId));
  }

  private Version newest(App app) {
    return s.versions().list(app.appId()).getFirst();
  }

  /** The app's name: the ext's own "name" when the template has one, else the form's. */
  private static String nameOf(JsonNode ext, String formName) {
    if (ext != null && ext.path("name").isTextual() && !ext.path("name").asText().isBlank()) {
      return ext.path("name").asText().strip();
    }
    if (formName == null) {
      throw WebException.badRequest("missing_field", "give the mini-program a name");
    }
    return formName;
  }

  private static SemVer semVer(String text, String field) {
    try {
      return SemVer.parse(text);
    } catch (MiniappException e) {
      throw WebException.badRequest("invalid_field", field + " must be a version like 1.0.0");
    }
  }

  /**
   * The same create request (merchant and Idempotency-Key) always names the same app, so a
   * retry finds the app the first attempt made instead of making a second one.
   */
  static String appIdFor(StaffMember st, String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((st.merchantId() + ":" + key)
          .getBytes(StandardCharsets.UTF_8));
      return "m" + HexFormat.of().formatHex(hash).substring(0, 15);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static String actor(StaffMember st) {
    return "merchant:" + st.merchantId().toString().substring(0, 8);
  }
}
