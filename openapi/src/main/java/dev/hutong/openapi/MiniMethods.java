package dev.hutong.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.AppKind;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.AuditSubmission;
import dev.hutong.miniapp.Categories;
import dev.hutong.miniapp.ContentStore;
import dev.hutong.miniapp.LaunchLinks;
import dev.hutong.miniapp.MiniappError;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.NewApp;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.Templates;
import dev.hutong.miniapp.Version;
import dev.hutong.miniapp.VersionState;
import dev.hutong.miniapp.Versions;
import dev.hutong.openapi.gateway.GatewayCall;
import dev.hutong.openapi.gateway.GatewayError;
import dev.hutong.openapi.gateway.GatewayMethod;
import dev.hutong.openapi.gateway.GatewayResult;
import dev.hutong.openapi.gateway.UploadedFile;
import dev.hutong.pay.AlipayTimes;
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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alipay.open.mini.* methods (and alipay.open.app.qrcode.create) over the mini-program
 * lifecycle: the calling app is the mini-program (its app_id is the mini-program's), and it acts
 * only on itself. Alipay's version states are mapped from Hutong's (docs/openapi.md, "Mini
 * programs"); the lifecycle's refusals come back as 40004 with sub_code {@code MINI.<reason>}.
 */
final class MiniMethods {
  static final String UPLOAD = "alipay.open.mini.version.upload";
  static final String AUDIT_APPLY = "alipay.open.mini.version.audit.apply";
  static final String AUDIT_CANCEL = "alipay.open.mini.version.audit.cancel";
  static final String ONLINE = "alipay.open.mini.version.online";
  static final String GRAY_ONLINE = "alipay.open.mini.version.gray.online";
  static final String GRAY_CANCEL = "alipay.open.mini.version.gray.cancel";
  static final String ROLLBACK = "alipay.open.mini.version.rollback";
  static final String OFFLINE = "alipay.open.mini.version.offline";
  static final String LIST_QUERY = "alipay.open.mini.version.list.query";
  static final String DETAIL_QUERY = "alipay.open.mini.version.detail.query";
  static final String QRCODE_CREATE = "alipay.open.app.qrcode.create";
  /** The only client Hutong serves; Alipay's bundle_id of its own wallet. */
  static final String BUNDLE_ID = "com.alipay.alipaywallet";
  /** audit.apply's screenshot file fields, in order. */
  static final List<String> SCREENSHOT_FIELDS = List.of("first_screen_shot",
      "second_screen_shot", "third_screen_shot", "fourth_screen_shot", "fifth_screen_shot");
  /** Every file field audit.apply knows; the others (logo, licences) are accepted and ignored. */
  static final Set<String> AUDIT_FILE_FIELDS = Set.of("app_logo", "first_screen_shot",
      "second_screen_shot", "third_screen_shot", "fourth_screen_shot", "fifth_screen_shot",
      "first_license_pic", "second_license_pic", "third_license_pic", "fourth_license_pic",
      "fifth_license_pic", "first_special_license_pic", "second_special_license_pic",
      "third_special_license_pic", "out_door_pic", "test_file_name");
  static final int SCREENSHOT_BYTES_MAX = 2 * 1024 * 1024;
  private static final Pattern GRAY = Pattern.compile("p([1-9][0-9]?)");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The mini-program components the methods call; all built by the composition root. */
  record Services(Apps apps, Versions versions, Templates templates, LaunchLinks links) {}

  private final Services s;

  MiniMethods(Services services) {
    this.s = services;
  }

  Map<String, GatewayMethod> methods() {
    Map<String, GatewayMethod> m = new LinkedHashMap<>();
    m.put(UPLOAD, call -> answer(call, this::upload));
    // Its fields are top-level parameters, as the SDK sends every upload request's.
    m.put(AUDIT_APPLY, GatewayMethod.withoutBizContent(call -> answer(call, this::auditApply)));
    m.put(AUDIT_CANCEL, call -> answer(call, c -> step(c, VersionState.DEVELOP,
        v -> s.versions().cancelAudit(c.app().appId(), v, actor(c)))));
    m.put(ONLINE, call -> answer(call, c -> step(c, VersionState.ONLINE,
        v -> s.versions().release(c.app().appId(), v, actor(c)))));
    m.put(GRAY_ONLINE, call -> answer(call, this::grayOnline));
    m.put(GRAY_CANCEL, call -> answer(call, c -> step(c, VersionState.APPROVED,
        v -> s.versions().cancelGray(c.app().appId(), v, actor(c)))));
    m.put(ROLLBACK, call -> answer(call, this::rollback));
    m.put(OFFLINE, call -> answer(call, c -> step(c, VersionState.OFFLINE,
        v -> s.versions().offline(c.app().appId(), v, actor(c)))));
    m.put(LIST_QUERY, call -> answer(call, this::list));
    m.put(DETAIL_QUERY, call -> answer(call, this::detail));
    m.put(QRCODE_CREATE, call -> answer(call, this::qrcode));
    return m;
  }

  private static GatewayResult answer(GatewayCall call, Function<GatewayCall, ObjectNode> method) {
    try {
      return GatewayResult.success(method.apply(call));
    } catch (MiniappException e) {
      return error(e);
    } catch (GatewayFailure e) {
      return e.error();
    }
  }

  static GatewayError error(MiniappException e) {
    String code = "MINI." + e.error().name();
    return switch (e.error()) {
      case INVALID_ARGUMENT, VERSION_NUMBER_INVALID, EXT_INVALID, PACKAGE_INVALID ->
          GatewayError.invalidArguments(code, e.getMessage());
      default -> GatewayError.businessFailed(code, e.getMessage());
    };
  }

  // ------------------------------------------------------------------ template instances

  /**
   * Instantiates the template (first call) or upgrades the instance to another template version
   * (later calls). The same call again — same version, template version and ext — answers
   * success without creating anything, so a retry after a lost answer is harmless.
   */
  private ObjectNode upload(GatewayCall call) {
    Fields b = new Fields(call.bizContent());
    b.bundle();
    String templateId = b.required("template_id");
    SemVer templateVersion = SemVer.parse(b.required("template_version"));
    SemVer appVersion = SemVer.parse(b.required("app_version"));
    JsonNode ext = ext(b.optional("ext").orElse(null));
    String appId = call.app().appId();
    Optional<App> existing = s.apps().find(appId);
    if (existing.isPresent()) {
      owned(call, existing.get());
      Optional<Version> same = s.versions().find(appId, appVersion);
      if (same.isPresent() && templateId.equals(same.get().templateAppId())
          && templateVersion.equals(same.get().templateVersion())
          && (ext == null || ext.equals(same.get().ext()))) {
        return uploaded(false);
      }
      s.templates().upgrade(appId, templateVersion, appVersion, ext, actor(call));
      return uploaded(true);
    }
    App template = s.apps().find(templateId).orElseThrow(() -> new MiniappException(
        MiniappError.APP_NOT_FOUND, "no template " + templateId));
    AppProfile profile = new AppProfile(template.profile().name(),
        template.profile().description(), template.profile().category(),
        template.profile().keywords(), template.profile().city(), template.profile().iconPath());
    s.templates().instantiate(new NewApp(appId, merchant(call), AppKind.INSTANCE, profile),
        templateId, templateVersion, appVersion,
        ext == null ? JsonNodeFactory.instance.objectNode() : ext, actor(call));
    return uploaded(true);
  }

  private static ObjectNode uploaded(boolean created) {
    return new Replies().text("create_status", "SUCCESS").text("build_status", "SUCCESS")
        .text("version_created", created ? "true" : "false").text("need_rotation", "false")
        .fields();
  }

  private static JsonNode ext(String text) {
    if (text == null) {
      return null;
    }
    if (text.length() > Templates.EXT_BYTES_MAX) {
      throw invalid("ext is longer than " + Templates.EXT_BYTES_MAX + " characters");
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || !node.isObject()) {
        throw invalid("ext must be a JSON object in a string, like \"{\\\"shopName\\\":"
            + "\\\"Noodle Bar\\\"}\"");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw invalid("ext is not valid JSON: " + e.getOriginalMessage());
    }
  }

  // ------------------------------------------------------------------ review

  /**
   * DEVELOP or TRIAL → AUDITING. The description is version_desc; the category the first of
   * mini_category_ids that is one of Hutong's category slugs (else the app's own); the
   * screenshots are the screenshot files, stored content-addressed and referred to as
   * {@code sha256:<hex>}.
   */
  private ObjectNode auditApply(GatewayCall call) {
    App app = ownApp(call);
    Fields p = new Fields(call);
    p.bundle();
    SemVer version = SemVer.parse(p.required("app_version"));
    String description = p.required("version_desc");
    String category = p.optional("mini_category_ids").map(MiniMethods::firstKnownCategory)
        .orElse(app.profile().category());
    for (UploadedFile f : call.files()) {
      if (!AUDIT_FILE_FIELDS.contains(f.name())) {
        throw invalid("unknown file field " + f.name() + "; audit.apply takes "
            + SCREENSHOT_FIELDS + " and the licence pictures");
      }
    }
    List<String> screenshots = new ArrayList<>();
    for (String field : SCREENSHOT_FIELDS) {
      Optional<UploadedFile> file = call.file(field);
      if (file.isPresent()) {
        screenshots.add("sha256:" + store(field, file.get()));
      }
    }
    Optional<Version> now = s.versions().find(app.appId(), version);
    if (now.isPresent() && now.get().state() == VersionState.AUDITING) {
      return new Replies().text("speed_up", "false").fields();
    }
    s.versions().submitAudit(app.appId(), version, new AuditSubmission(description, category,
        screenshots), actor(call));
    return new Replies().text("speed_up", "false").fields();
  }

  private static String firstKnownCategory(String ids) {
    return Arrays.stream(ids.split("[,_]")).map(String::strip).filter(Categories::isKnown)
        .findFirst().orElseThrow(() -> invalid("mini_category_ids names no Hutong category;"
            + " use one of " + Categories.slugs()));
  }

  /** A screenshot must be a PNG or JPEG of at most {@value #SCREENSHOT_BYTES_MAX} bytes. */
  private String store(String field, UploadedFile file) {
    byte[] b = file.bytes();
    boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N'
        && b[3] == 'G';
    boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
    if (!png && !jpeg) {
      throw invalid(field + " must be a PNG or JPEG image");
    }
    if (b.length > SCREENSHOT_BYTES_MAX) {
      throw invalid(field + " has " + b.length + " bytes; at most " + SCREENSHOT_BYTES_MAX);
    }
    ContentStore store = s.versions().store();
    return store.put(b);
  }

  // ------------------------------------------------------------------ release

  /** gray_strategy p1..p99: the share of users; a running gray release is widened. */
  private ObjectNode grayOnline(GatewayCall call) {
    App app = ownApp(call);
    Fields b = new Fields(call.bizContent());
    b.bundle();
    SemVer version = SemVer.parse(b.required("app_version"));
    String strategy = b.required("gray_strategy");
    Matcher m = GRAY.matcher(strategy);
    if (!m.matches()) {
      throw invalid("gray_strategy must be p1 to p99 (the percentage of users), such as p10,"
          + " not '" + strategy + "'");
    }
    int percent = Integer.parseInt(m.group(1));
    Version current = s.versions().get(app.appId(), version);
    if (current.state() == VersionState.GRAY) {
      if (current.grayPercent() != percent) {
        s.versions().widenGray(app.appId(), version, percent, actor(call));
      }
    } else {
      s.versions().startGray(app.appId(), version, percent, actor(call));
    }
    return JsonNodeFactory.instance.objectNode();
  }

  /** Rolls back app_version, which must be the online one. */
  private ObjectNode rollback(GatewayCall call) {
    App app = ownApp(call);
    Fields b = new Fields(call.bizContent());
    b.bundle();
    SemVer version = SemVer.parse(b.required("app_version"));
    Version v = s.versions().get(app.appId(), version);
    if (v.state() == VersionState.ROLLBACK) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (v.state() != VersionState.ONLINE) {
      throw new MiniappException(MiniappError.TRANSITION_FORBIDDEN, "version " + version
          + " is " + v.state() + ", not online; roll back the online version");
    }
    s.versions().rollback(app.appId(), actor(call));
    return JsonNodeFactory.instance.objectNode();
  }

  /** A lifecycle step on app_version; a retry of one already done answers success. */
  private ObjectNode step(GatewayCall call, VersionState target,
      Function<SemVer, Version> step) {
    App app = ownApp(call);
    Fields b = new Fields(call.bizContent());
    b.bundle();
    SemVer version = SemVer.parse(b.required("app_version"));
    try {
      step.apply(version);
    } catch (MiniappException e) {
      Optional<Version> now = s.versions().find(app.appId(), version);
      if (e.error() != MiniappError.TRANSITION_FORBIDDEN || now.isEmpty()
          || now.get().state() != target) {
        throw e;
      }
    }
    return JsonNodeFactory.instance.objectNode();
  }

  // ------------------------------------------------------------------ queries

  /** version_status: one of Alipay's states, or several comma-separated; none lists all. */
  private ObjectNode list(GatewayCall call) {
    App app = ownApp(call);
    Fields b = new Fields(call.bizContent());
    b.bundle();
    Set<String> wanted = new LinkedHashSet<>();
    b.optional("version_status").ifPresent(t -> Arrays.stream(t.split(","))
        .map(x -> x.strip().toUpperCase(Locale.ROOT)).forEach(wanted::add));
    for (String w : wanted) {
      if (!ALIPAY_STATES.contains(w)) {
        throw invalid("version_status " + w + " is not one of " + ALIPAY_STATES);
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode versions = out.putArray("app_versions");
    ArrayNode infos = out.putArray("app_version_infos");
    for (Version v : s.versions().list(app.appId())) {
      String status = alipayStatus(v.state());
      if (!wanted.isEmpty() && !wanted.contains(status)) {
        continue;
      }
      versions.add(v.version().toString());
      ObjectNode info = infos.addObject();
      info.put("app_version", v.version().toString());
      info.put("bundle_id", BUNDLE_ID);
      info.put("version_status", status);
      info.put("create_time", AlipayTimes.format(v.createdAt()));
      if (v.audit() != null) {
        info.put("version_description", v.audit().description());
      }
      info.put("can_release", canRelease(v));
    }
    return out;
  }

  private ObjectNode detail(GatewayCall call) {
    App app = ownApp(call);
    Fields b = new Fields(call.bizContent());
    b.bundle();
    Version v = s.versions().get(app.appId(), SemVer.parse(b.required("app_version")));
    Replies r = new Replies().text("app_version", v.version().toString())
        .text("app_name", app.profile().name()).text("app_desc", app.profile().description())
        .text("status", alipayStatus(v.state())).text("can_release", canRelease(v))
        .text("gmt_create", AlipayTimes.format(v.createdAt()));
    if (v.audit() != null) {
      r.text("version_desc", v.audit().description());
      ArrayNode shots = r.fields().putArray("screen_shot_list");
      v.audit().screenshots().forEach(shots::add);
    }
    if (v.state() == VersionState.GRAY) {
      r.text("gray_strategy", "p" + v.grayPercent());
    }
    if (v.approvedAt() != null) {
      r.time("gmt_audit_end", v.approvedAt());
    }
    if (v.onlineAt() != null) {
      r.time("gmt_online", v.onlineAt());
    }
    if (!v.findings().isEmpty()) {
      r.text("reject_reason", String.join("; ", v.findings().stream()
          .map(f -> f.file() + " [" + f.rule() + "] " + f.reason()).toList()));
    }
    return r.fields();
  }

  /**
   * A launch QR code for a page (url_param) and launch query (query_param): the URL of the
   * server's PNG, whose content is the launch link.
   */
  private ObjectNode qrcode(GatewayCall call) {
    App app = ownApp(call);
    Fields b = new Fields(call.bizContent());
    String page = b.required("url_param");
    String query = b.optional("query_param").orElse(null);
    b.optional("describe").ifPresent(d -> {
      if (d.length() > 64) {
        throw invalid("describe is longer than 64 characters");
      }
    });
    String link = s.links().link(app.appId(), page, query);
    int q = link.indexOf('?');
    String png = q < 0 ? link + "/qr.png" : link.substring(0, q) + "/qr.png" + link.substring(q);
    String svg = png.replace("/qr.png", "/qr.svg");
    return new Replies().text("qr_code_url", png).text("qr_code_url_circle_white", svg)
        .text("qr_code_url_circle_blue", svg).fields();
  }

  // ------------------------------------------------------------------ states and ownership

  static final List<String> ALIPAY_STATES = List.of("INIT", "AUDITING", "AUDIT_REJECT",
      "WAIT_RELEASE", "GRAY", "RELEASE", "OFFLINE");

  /** Alipay's names; TRIAL is still INIT (in development), ROLLBACK is OFFLINE. */
  static String alipayStatus(VersionState state) {
    return switch (state) {
      case DEVELOP, TRIAL -> "INIT";
      case AUDITING -> "AUDITING";
      case REJECTED -> "AUDIT_REJECT";
      case APPROVED -> "WAIT_RELEASE";
      case GRAY -> "GRAY";
      case ONLINE -> "RELEASE";
      case ROLLBACK, OFFLINE -> "OFFLINE";
    };
  }

  private static String canRelease(Version v) {
    return v.state() == VersionState.APPROVED || v.state() == VersionState.GRAY ? "true"
        : "false";
  }

  /** The calling app's mini-program; it must exist and belong to the app's merchant. */
  private App ownApp(GatewayCall call) {
    App app = s.apps().find(call.app().appId()).orElseThrow(() -> new MiniappException(
        MiniappError.APP_NOT_FOUND, "app " + call.app().appId() + " has no mini-program yet:"
            + " instantiate a template with " + UPLOAD + ", or ask the operator to create it"
            + " ('hutong miniapp create --app-id " + call.app().appId() + "')"));
    owned(call, app);
    return app;
  }

  private static void owned(GatewayCall call, App app) {
    if (!app.merchantId().equals(merchant(call))) {
      throw new GatewayFailure(GatewayError.insufficientPermissions("MINI.NOT_YOUR_APP",
          "the mini-program " + app.appId() + " belongs to another merchant than this app"));
    }
  }

  private static UUID merchant(GatewayCall call) {
    return UUID.fromString(call.app().merchantId());
  }

  private static String actor(GatewayCall call) {
    return "app:" + call.app().appId();
  }

  static MiniappException invalid(String message) {
    return new MiniappException(MiniappError.INVALID_ARGUMENT, message);
  }

  /** Request fields from biz_content, or from the top-level parameters (upload requests). */
  private static final class Fields {
    private final Function<String, String> source;

    Fields(ObjectNode biz) {
      this.source = name -> {
        JsonNode v = biz.get(name);
        if (v == null || v.isNull()) {
          return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
          throw invalid(name + " must be a string");
        }
        return v.asText();
      };
    }

    Fields(GatewayCall call) {
      this.source = name -> call.param(name).orElse(null);
    }

    String required(String name) {
      return optional(name).orElseThrow(() -> invalid(name + " is required"));
    }

    Optional<String> optional(String name) {
      String v = source.apply(name);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** bundle_id may be left out; anything but the wallet's is a client Hutong does not have. */
    void bundle() {
      optional("bundle_id").filter(b -> !b.equals(BUNDLE_ID)).ifPresent(b -> {
        throw invalid("bundle_id " + b + " is not served; leave it out or use " + BUNDLE_ID);
      });
    }
  }
}
