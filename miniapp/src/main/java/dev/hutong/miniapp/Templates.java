package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.identity.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Templates and their merchant instances (DESIGN §6). A template is an app whose versions carry
 * the JSON Schema of an {@code ext} object (ext.schema.json in the package). An instance is an
 * app bound, version by version, to one template version plus its own ext, validated against that
 * version's schema. An instance version runs the template version's files and inherits its
 * review: once the template version is approved, every instance of it can go online without
 * another audit. A merchant's portal draft ({@link #draft}, {@link #revise}) is the exception:
 * its code is reviewed, its content (the ext) is not, so it goes through review first.
 */
public final class Templates {
  public static final int EXT_BYTES_MAX = 64 * 1024;

  private final Jdbi jdbi;
  private final Apps apps;
  private final Versions versions;
  private final Clock clock;

  public Templates(Jdbi jdbi, Apps apps, Versions versions, Clock clock) {
    this.jdbi = jdbi;
    this.apps = apps;
    this.versions = versions;
    this.clock = clock;
  }

  /**
   * Creates an instance app of {@code templateAppId} at {@code templateVersion} with its first
   * version {@code appVersion} (APPROVED: release it with {@link Versions#release}). Fails with
   * {@link MiniappError#EXT_INVALID}, listing every violation, before creating anything.
   */
  public Version instantiate(NewApp app, String templateAppId, SemVer templateVersion,
      SemVer appVersion, JsonNode ext, String actor) {
    String who = Versions.actor(actor);
    Version template = approvedTemplateVersion(templateAppId, templateVersion);
    requireValid(template, ext, "the ext");
    App created = apps.insert(new NewApp(app.appId(), app.merchantId(), AppKind.INSTANCE,
        app.profile()), templateAppId);
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> versions.createInstanceVersion(h, created.appId(), appVersion,
        template, ext, who, now));
  }

  /**
   * The templates merchants can instantiate now: per template app, its newest version that
   * passed review and is APPROVED, in GRAY or ONLINE (not rolled back or taken offline), with its
   * ext schema. At most {@link Apps#LIST_MAX}, by template name.
   */
  public List<TemplateOffer> offers() {
    return Tx.read(jdbi, h -> h.createQuery("SELECT DISTINCT ON (v.app_id) v.app_id, v.version"
            + " FROM miniapp_version v JOIN miniapp_app a ON a.app_id = v.app_id WHERE a.kind ="
            + " 'TEMPLATE' AND v.approved_at IS NOT NULL AND v.ext_schema IS NOT NULL AND v.state"
            + " IN ('APPROVED', 'GRAY', 'ONLINE') ORDER BY v.app_id, v.major DESC, v.minor DESC,"
            + " v.patch DESC LIMIT " + Apps.LIST_MAX)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list())
        .stream().map(r -> offer(r[0], SemVer.parse(r[1])))
        .sorted(java.util.Comparator.comparing((TemplateOffer o) -> o.profile().name())
            .thenComparing(TemplateOffer::appId))
        .toList();
  }

  private TemplateOffer offer(String appId, SemVer version) {
    return new TemplateOffer(appId, apps.get(appId).profile(), version,
        versions.get(appId, version).extSchema().deepCopy());
  }

  /**
   * Creates an instance whose first version is a DEVELOP draft: the merchant previews it and
   * submits it for review, where operators judge its ext (the content the merchant typed: names,
   * texts, links), since the template's code was already reviewed. Validation as in
   * {@link #instantiate}.
   */
  public Version draft(NewApp app, String templateAppId, SemVer templateVersion,
      SemVer appVersion, JsonNode ext, String actor) {
    String who = Versions.actor(actor);
    Version template = approvedTemplateVersion(templateAppId, templateVersion);
    requireValid(template, ext, "the ext");
    App created = apps.insert(new NewApp(app.appId(), app.merchantId(), AppKind.INSTANCE,
        app.profile()), templateAppId);
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> versions.createInstanceVersion(h, created.appId(), appVersion,
        template, ext, who, now, true));
  }

  /**
   * A new DEVELOP draft of an instance with a changed ext, on the same template version as its
   * newest version (the fix after a rejection, or any later edit); numbered one patch above the
   * newest version. Validated before anything changes.
   */
  public Version revise(String appId, JsonNode ext, String actor) {
    String who = Versions.actor(actor);
    App app = apps.get(appId);
    if (app.kind() != AppKind.INSTANCE) {
      throw new MiniappException(MiniappError.NOT_AN_INSTANCE, "app " + appId + " is not a"
          + " template instance");
    }
    Version newest = versions.list(appId).stream().findFirst().orElseThrow(
        () -> new IllegalStateException("instance " + appId + " has no version"));
    Version template = approvedTemplateVersion(app.templateAppId(), newest.templateVersion());
    requireValid(template, ext, "the ext");
    SemVer next = new SemVer(newest.version().major(), newest.version().minor(),
        newest.version().patch() + 1);
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> versions.createInstanceVersion(h, appId, next, template, ext, who,
        now, true));
  }

  /**
   * Moves an instance to another template version as a new instance version {@code appVersion},
   * with {@code ext} (null keeps the current one). The ext is re-validated against the new
   * version's schema and the upgrade fails loudly, listing each violation, when it no longer fits.
   */
  public Version upgrade(String appId, SemVer templateVersion, SemVer appVersion, JsonNode ext,
      String actor) {
    String who = Versions.actor(actor);
    App app = apps.get(appId);
    if (app.kind() != AppKind.INSTANCE) {
      throw new MiniappException(MiniappError.NOT_AN_INSTANCE, "app " + appId + " is not a"
          + " template instance; upload a package to it instead");
    }
    JsonNode effective = ext != null ? ext : latestExt(appId);
    Version template = approvedTemplateVersion(app.templateAppId(), templateVersion);
    requireValid(template, effective, "the instance's ext");
    Instant now = clock.instant();
    return Tx.run(jdbi, h -> versions.createInstanceVersion(h, appId, appVersion, template,
        effective, who, now));
  }

  /**
   * Refuses an ext that does not fit an approved template version with
   * {@link MiniappError#EXT_INVALID} listing every violation, as {@link #draft} would; changes
   * nothing.
   */
  public void requireValidExt(String templateAppId, SemVer templateVersion, JsonNode ext) {
    requireValid(approvedTemplateVersion(templateAppId, templateVersion), ext, "the ext");
  }

  /** What an ext would break in a template version's schema, without changing anything. */
  public List<String> violations(String templateAppId, SemVer templateVersion, JsonNode ext) {
    Version template = versions.get(templateAppId, templateVersion);
    if (template.extSchema() == null) {
      throw notTemplate(templateAppId);
    }
    return check(template, ext);
  }

  /**
   * What {@code my.getExtConfig} returns for the app's online version (or, before any release,
   * its newest): the instance's ext, or an empty object for apps that are not instances.
   */
  public JsonNode extConfig(String appId) {
    apps.get(appId);
    JsonNode ext = versions.online(appId).map(Version::ext)
        .or(() -> versions.list(appId).stream().findFirst().map(Version::ext))
        .orElse(null);
    return ext == null ? Json.MAPPER.createObjectNode() : ext.deepCopy();
  }

  /** The ext of one version (the one the user was served). */
  public JsonNode extConfig(String appId, SemVer version) {
    JsonNode ext = versions.get(appId, version).ext();
    return ext == null ? Json.MAPPER.createObjectNode() : ext.deepCopy();
  }

  /** The schema instances of a template version must satisfy. */
  public JsonNode extSchema(String templateAppId, SemVer templateVersion) {
    JsonNode schema = versions.get(templateAppId, templateVersion).extSchema();
    if (schema == null) {
      throw notTemplate(templateAppId);
    }
    return schema.deepCopy();
  }

  /** The instances of a template (at most {@link Apps#LIST_MAX}). */
  public List<App> instances(String templateAppId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM miniapp_app WHERE template_app_id ="
            + " :t ORDER BY created_at, app_id LIMIT " + Apps.LIST_MAX)
        .bind("t", templateAppId).map(Apps::app).list());
  }

  private JsonNode latestExt(String appId) {
    return versions.list(appId).stream().findFirst().map(Version::ext)
        .orElseGet(() -> Json.MAPPER.createObjectNode());
  }

  private Version approvedTemplateVersion(String templateAppId, SemVer templateVersion) {
    App template = apps.find(templateAppId).orElseThrow(() -> new MiniappException(
        MiniappError.APP_NOT_FOUND, "no template app " + templateAppId));
    if (template.kind() != AppKind.TEMPLATE) {
      throw notTemplate(templateAppId);
    }
    Version v = versions.get(templateAppId, templateVersion);
    if (v.approvedAt() == null || v.state() == VersionState.ROLLBACK) {
      throw new MiniappException(MiniappError.TEMPLATE_NOT_APPROVED, "template " + templateAppId
          + " version " + templateVersion + " is " + v.state() + (v.approvedAt() == null
              ? " and has not passed review; instances can use it once it is approved"
              : ": it was rolled back, use another version"));
    }
    return v;
  }

  private static void requireValid(Version template, JsonNode ext, String what) {
    List<String> problems = check(template, ext);
    if (!problems.isEmpty()) {
      throw new MiniappException(MiniappError.EXT_INVALID, what + " does not satisfy the ext"
          + " schema of template " + template.appId() + " version " + template.version() + " ("
          + problems.size() + " violation" + (problems.size() == 1 ? "" : "s") + "); fix each:",
          problems);
    }
  }

  private static List<String> check(Version template, JsonNode ext) {
    if (ext == null || !ext.isObject()) {
      return List.of("ext must be a JSON object");
    }
    if (Json.write(ext).length() > EXT_BYTES_MAX) {
      return List.of("ext is larger than " + EXT_BYTES_MAX + " bytes");
    }
    JsonSchemas.Compiled schema = JsonSchemas.compile(template.extSchema());
    if (schema.schema() == null) {
      // Checked at upload; reaching here means the stored schema was changed by hand.
      throw new IllegalStateException("stored ext schema of " + template.appId() + " "
          + template.version() + " no longer compiles: " + schema.problems());
    }
    return new ArrayList<>(schema.violations(ext));
  }

  private static MiniappException notTemplate(String appId) {
    return new MiniappException(MiniappError.NOT_A_TEMPLATE, "app " + appId + " is not a"
        + " template (create it with kind TEMPLATE and an ext.schema.json in its package)");
  }
}
