package dev.hutong.miniapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Templates and merchant instances: ext validation, inherited review, upgrades. */
@Tag("db")
class TemplatesTest {
  static Fixture f;
  static final SemVer T1 = SemVer.parse("1.0.0");
  static final SemVer T2 = SemVer.parse("2.0.0");
  static final String SCHEMA_V1 = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
      + "\"type\":\"object\",\"required\":[\"cinemaName\",\"halls\"],\"properties\":{"
      + "\"cinemaName\":{\"type\":\"string\",\"minLength\":1},"
      + "\"halls\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":30},"
      + "\"color\":{\"$ref\":\"#/$defs/color\"}},"
      + "\"$defs\":{\"color\":{\"type\":\"string\",\"pattern\":\"^#[0-9a-f]{6}$\"}}}";
  /** Version 2 needs a phone number and allows at most 20 halls. */
  static final String SCHEMA_V2 = SCHEMA_V1.replace("\"required\":[\"cinemaName\",\"halls\"]",
      "\"required\":[\"cinemaName\",\"halls\",\"phone\"]").replace("\"maximum\":30",
      "\"maximum\":20").replace("\"color\":{\"$ref\"", "\"phone\":{\"type\":\"string\"},"
      + "\"color\":{\"$ref\"");

  static String template;

  @BeforeAll
  static void start() {
    f = new Fixture("miniapp_templates");
    template = f.app(AppKind.TEMPLATE).appId();
    f.upload(template, "1.0.0", TestZip.minimal().file("ext.schema.json", SCHEMA_V1));
    approve(template, T1);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static void approve(String appId, SemVer v) {
    f.versions.submitAudit(appId, v, new AuditSubmission("cinema template", "movies", List.of()),
        "isv");
    f.versions.approve(appId, v, "operator:bo", null);
  }

  static JsonNode json(String text) {
    return Json.parse(text);
  }

  static NewApp instanceApp(String name) {
    return new NewApp(null, f.merchant(name + " Ltd."), AppKind.INSTANCE,
        Fixture.profile(name, "movies"));
  }

  @Test
  void anInstanceRunsTheTemplatesCodeWithItsOwnExtAndInheritsTheReview() {
    JsonNode ext = json("{\"cinemaName\":\"Red Star\",\"halls\":5,\"color\":\"#aa0000\"}");
    Version v = f.templates.instantiate(instanceApp("Red Star Cinema"), template, T1,
        SemVer.parse("1.0.0"), ext, "isv:acme");
    assertThat(v.state()).isEqualTo(VersionState.APPROVED);
    assertThat(v.templateAppId()).isEqualTo(template);
    assertThat(v.templateVersion()).isEqualTo(T1);
    assertThat(v.approvedAt()).isNotNull();
    assertThat(f.versions.history(v.appId(), v.version())).singleElement()
        .satisfies(t -> assertThat(t.note()).contains("review inherited"));
    assertThat(f.versions.files(v.appId(), v.version()))
        .isEqualTo(f.versions.files(template, T1));
    assertThat(f.apps.get(v.appId()).kind()).isEqualTo(AppKind.INSTANCE);
    assertThat(f.apps.get(v.appId()).templateAppId()).isEqualTo(template);
    assertThat(f.templates.extConfig(v.appId())).isEqualTo(ext);
    f.versions.release(v.appId(), v.version(), "isv:acme");
    assertThat(f.templates.extConfig(v.appId())).isEqualTo(ext);
    assertThat(f.templates.instances(template)).extracting(App::appId).contains(v.appId());
    assertThat(f.templates.extSchema(template, T1)).isEqualTo(json(SCHEMA_V1));
    String plain = f.app(AppKind.APP).appId();
    assertThat(f.templates.extConfig(plain)).isEqualTo(json("{}"));
  }

  @Test
  void anInvalidExtIsRefusedWithEveryViolationAndNothingIsCreated() {
    int before = f.templates.instances(template).size();
    MiniappException e = catchThrowableOfType(MiniappException.class,
        () -> f.templates.instantiate(instanceApp("Bad Cinema"), template, T1,
            SemVer.parse("1.0.0"), json("{\"halls\":0,\"color\":\"red\"}"), "isv"));
    assertThat(e.error()).isEqualTo(MiniappError.EXT_INVALID);
    assertThat(e.details()).hasSize(3);
    assertThat(String.join("\n", e.details())).contains("cinemaName").contains("halls")
        .contains("color");
    assertThat(f.templates.instances(template)).hasSize(before);
    assertThat(f.templates.violations(template, T1, json("{\"cinemaName\":\"A\",\"halls\":3}")))
        .isEmpty();
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.templates.instantiate(
        instanceApp("Array Cinema"), template, T1, SemVer.parse("1.0.0"), json("[]"), "isv"))
        .error()).isEqualTo(MiniappError.EXT_INVALID);
  }

  @Test
  void upgradesRevalidateTheExtAndFailLoudlyWhenItNoLongerFits() {
    String tpl = f.app(AppKind.TEMPLATE).appId();
    f.upload(tpl, "1.0.0", TestZip.minimal().file("ext.schema.json", SCHEMA_V1));
    approve(tpl, T1);
    Version first = f.templates.instantiate(instanceApp("Jade Cinema"), tpl, T1,
        SemVer.parse("1.0.0"), json("{\"cinemaName\":\"Jade\",\"halls\":25}"), "isv");
    String app = first.appId();
    f.versions.release(app, first.version(), "isv");

    // Version 2 of the template is not approved yet: no instance may use it.
    f.upload(tpl, "2.0.0", TestZip.minimal().file("ext.schema.json", SCHEMA_V2)
        .file("v2.js", "2"));
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.templates.upgrade(app, T2,
        SemVer.parse("1.1.0"), null, "isv")).error())
        .isEqualTo(MiniappError.TEMPLATE_NOT_APPROVED);
    approve(tpl, T2);

    // Incompatible: the kept ext lacks "phone" and has too many halls for version 2.
    MiniappException e = catchThrowableOfType(MiniappException.class,
        () -> f.templates.upgrade(app, T2, SemVer.parse("1.1.0"), null, "isv"));
    assertThat(e.error()).isEqualTo(MiniappError.EXT_INVALID);
    assertThat(e.getMessage()).contains("template " + tpl + " version 2.0.0");
    assertThat(e.details()).hasSize(2);
    assertThat(String.join("\n", e.details())).contains("phone").contains("halls");
    assertThat(f.versions.list(app)).hasSize(1);

    // Compatible once the ext is fixed: a new instance version on template 2.0.0.
    JsonNode fixed = json("{\"cinemaName\":\"Jade\",\"halls\":12,\"phone\":\"+86 10 5555\"}");
    Version upgraded = f.templates.upgrade(app, T2, SemVer.parse("1.1.0"), fixed, "isv");
    assertThat(upgraded.templateVersion()).isEqualTo(T2);
    assertThat(upgraded.state()).isEqualTo(VersionState.APPROVED);
    assertThat(f.versions.file(app, upgraded.version(), "v2.js")).isPresent();
    f.versions.release(app, upgraded.version(), "isv");
    assertThat(f.templates.extConfig(app)).isEqualTo(fixed);
    assertThat(f.templates.extConfig(app, first.version()).get("halls").asInt()).isEqualTo(25);

    // Compatible without changes: a further upgrade keeps the current ext.
    f.upload(tpl, "2.1.0", TestZip.minimal().file("ext.schema.json", SCHEMA_V2));
    approve(tpl, SemVer.parse("2.1.0"));
    Version kept = f.templates.upgrade(app, SemVer.parse("2.1.0"), SemVer.parse("1.2.0"), null,
        "isv");
    assertThat(kept.ext()).isEqualTo(fixed);
  }

  @Test
  void templatesInstancesAndPlainAppsKeepToTheirKind() {
    String tpl = f.app(AppKind.TEMPLATE).appId();
    assertThat(catchThrowableOfType(MiniappException.class,
        () -> f.upload(tpl, "1.0.0", TestZip.minimal())).error())
        .isEqualTo(MiniappError.PACKAGE_INVALID);
    String plain = f.app(AppKind.APP).appId();
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.upload(plain, "1.0.0",
        TestZip.minimal().file("ext.schema.json", SCHEMA_V1))).error())
        .isEqualTo(MiniappError.PACKAGE_INVALID);
    f.upload(plain, "1.0.0", TestZip.minimal());
    approve(plain, SemVer.parse("1.0.0"));
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.templates.instantiate(
        instanceApp("Nope"), plain, SemVer.parse("1.0.0"), SemVer.parse("1.0.0"),
        json("{}"), "isv")).error()).isEqualTo(MiniappError.NOT_A_TEMPLATE);
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.templates.upgrade(plain,
        T1, SemVer.parse("2.0.0"), null, "isv")).error())
        .isEqualTo(MiniappError.NOT_AN_INSTANCE);
    Version inst = f.templates.instantiate(instanceApp("Upload Cinema"), template, T1,
        SemVer.parse("1.0.0"), json("{\"cinemaName\":\"U\",\"halls\":1}"), "isv");
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.upload(inst.appId(),
        "2.0.0", TestZip.minimal())).error()).isEqualTo(MiniappError.NOT_A_TEMPLATE);
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.apps.create(new NewApp(null,
        f.merchant, AppKind.INSTANCE, Fixture.profile("X", "movies")))).error())
        .isEqualTo(MiniappError.INVALID_ARGUMENT);
  }

  @Test
  void merchantsAreOfferedTheNewestReviewedVersionOfEachTemplateWithItsSchema() {
    String tpl = f.app(AppKind.TEMPLATE).appId();
    f.upload(tpl, "1.0.0", TestZip.minimal().file("ext.schema.json", SCHEMA_V1));
    assertThat(f.templates.offers()).extracting(TemplateOffer::appId).doesNotContain(tpl);
    approve(tpl, T1);
    f.upload(tpl, "2.0.0", TestZip.minimal().file("ext.schema.json", SCHEMA_V2));
    assertThat(f.templates.offers()).filteredOn(o -> o.appId().equals(tpl)).singleElement()
        .satisfies(o -> {
          assertThat(o.version()).isEqualTo(T1);
          assertThat(o.extSchema()).isEqualTo(json(SCHEMA_V1));
          assertThat(o.profile().name()).isEqualTo(f.apps.get(tpl).profile().name());
        });
    approve(tpl, T2);
    assertThat(f.templates.offers()).filteredOn(o -> o.appId().equals(tpl)).singleElement()
        .satisfies(o -> assertThat(o.extSchema()).isEqualTo(json(SCHEMA_V2)));
    String plain = f.app(AppKind.APP).appId();
    f.upload(plain, "1.0.0", TestZip.minimal());
    approve(plain, T1);
    assertThat(f.templates.offers()).extracting(TemplateOffer::appId).doesNotContain(plain);
  }

  @Test
  void aDraftInstanceIsReviewedOnItsExtAndARevisionShowsWhatChanged() {
    Version draft = f.templates.draft(instanceApp("Draft Cinema"), template, T1,
        SemVer.parse("1.0.0"), json("{\"cinemaName\":\"Cheap Tickets!!!\",\"halls\":2}"),
        "merchant:m");
    assertThat(draft.state()).isEqualTo(VersionState.DEVELOP);
    assertThat(draft.approvedAt()).isNull();
    String app = draft.appId();
    AuditSubmission sub = new AuditSubmission("our cinema", "movies", List.of());
    f.versions.submitAudit(app, draft.version(), sub, "merchant:m");
    ReviewItem first = f.review.pending(ReviewQueue.PAGE_MAX).stream()
        .filter(r -> r.appId().equals(app)).findFirst().orElseThrow();
    assertThat(first.templateAppId()).isEqualTo(template);
    assertThat(first.extChanges()).extracting(ExtChange::field)
        .containsExactly("cinemaName", "halls");
    f.versions.reject(app, draft.version(), "operator:o",
        List.of(new Finding("ext.cinemaName", "content", "no shouting in the name")));
    assertThat(catchThrowableOfType(MiniappException.class, () -> f.templates.revise(app,
        json("{\"cinemaName\":\"\",\"halls\":2}"), "merchant:m")).error())
        .isEqualTo(MiniappError.EXT_INVALID);
    Version fixed = f.templates.revise(app, json("{\"cinemaName\":\"Red Star\",\"halls\":2}"),
        "merchant:m");
    assertThat(fixed.version()).isEqualTo(SemVer.parse("1.0.1"));
    assertThat(fixed.state()).isEqualTo(VersionState.DEVELOP);
    assertThat(fixed.templateVersion()).isEqualTo(T1);
    f.versions.submitAudit(app, fixed.version(), sub, "merchant:m");
    ReviewItem second = f.review.pending(ReviewQueue.PAGE_MAX).stream()
        .filter(r -> r.appId().equals(app)).findFirst().orElseThrow();
    assertThat(second.extChanges()).singleElement().satisfies(c -> {
      assertThat(c.field()).isEqualTo("cinemaName");
      assertThat(c.before().asText()).isEqualTo("Cheap Tickets!!!");
      assertThat(c.after().asText()).isEqualTo("Red Star");
    });
    f.versions.approve(app, fixed.version(), "operator:o", null);
    assertThat(f.versions.release(app, fixed.version(), "merchant:m").state())
        .isEqualTo(VersionState.ONLINE);
    assertThat(f.templates.extConfig(app).get("cinemaName").asText()).isEqualTo("Red Star");
    String plain = f.app(AppKind.APP).appId();
    assertThat(catchThrowableOfType(MiniappException.class,
        () -> f.templates.revise(plain, json("{}"), "m")).error())
        .isEqualTo(MiniappError.NOT_AN_INSTANCE);
  }
}
