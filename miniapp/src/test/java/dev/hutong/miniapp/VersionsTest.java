package dev.hutong.miniapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The version lifecycle: every allowed step, every forbidden one, and who gets which version. */
@Tag("db")
class VersionsTest {
  static Fixture f;
  static final SemVer V1 = SemVer.parse("1.0.0");
  static final SemVer V2 = SemVer.parse("1.1.0");
  static final AuditSubmission SUBMISSION = new AuditSubmission("Seat maps and tickets",
      "movies", List.of("shots/1.png"));
  static final List<Finding> FINDINGS = List.of(new Finding("app.js", "no-remote-code",
      "app.js loads a script from a domain not in app.json: bundle it or add the domain"));

  @BeforeAll
  static void start() {
    f = new Fixture("miniapp_versions");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static Versions v() {
    return f.versions;
  }

  static MiniappError errorOf(ThrowingCallable call) {
    try {
      call.call();
    } catch (MiniappException e) {
      return e.error();
    } catch (Throwable t) {
      throw new AssertionError("expected a MiniappException", t);
    }
    throw new AssertionError("expected a MiniappException, nothing was thrown");
  }

  @Test
  void uploadMakesADevelopVersionAndRecordsWhoAndWhen() {
    App app = f.app(AppKind.APP);
    Version v = f.upload(app.appId(), "1.0.0", TestZip.minimal());
    assertThat(v.state()).isEqualTo(VersionState.DEVELOP);
    assertThat(v.fileCount()).isEqualTo(4);
    assertThat(v.appJson().get("pages").get(0).asText()).isEqualTo("pages/index/index");
    assertThat(v().files(app.appId(), V1)).extracting(PackageFile::path)
        .containsExactly("app.css", "app.js", "app.json", "pages/index/index.html");
    List<Transition> history = v().history(app.appId(), V1);
    assertThat(history).singleElement().satisfies(t -> {
      assertThat(t.from()).isNull();
      assertThat(t.to()).isEqualTo(VersionState.DEVELOP);
      assertThat(t.actor()).isEqualTo("dev:alice");
      assertThat(t.at()).isNotNull();
      assertThat(t.ordinal()).isEqualTo(1);
    });
  }

  @Test
  void aDevelopVersionCanBeUploadedAgainOthersCannot() {
    App app = f.app(AppKind.APP);
    f.upload(app.appId(), "1.0.0", TestZip.minimal());
    Version again = f.upload(app.appId(), "1.0.0", TestZip.minimal().file("extra.js", "1"));
    assertThat(again.fileCount()).isEqualTo(5);
    assertThat(v().file(app.appId(), V1, "extra.js")).isPresent();
    assertThat(v().history(app.appId(), V1)).extracting(Transition::note)
        .last().asString().startsWith("files replaced");
    v().submitAudit(app.appId(), V1, SUBMISSION, "dev:alice");
    assertThat(errorOf(() -> f.upload(app.appId(), "1.0.0", TestZip.minimal())))
        .isEqualTo(MiniappError.VERSION_NUMBER_INVALID);
  }

  @Test
  void versionNumbersStrictlyIncrease() {
    App app = f.app(AppKind.APP);
    f.upload(app.appId(), "1.2.0", TestZip.minimal());
    assertThat(errorOf(() -> f.upload(app.appId(), "1.1.9", TestZip.minimal())))
        .isEqualTo(MiniappError.VERSION_NUMBER_INVALID);
    assertThat(errorOf(() -> SemVer.parse("1.0"))).isEqualTo(MiniappError.VERSION_NUMBER_INVALID);
    assertThat(errorOf(() -> SemVer.parse("01.0.0")))
        .isEqualTo(MiniappError.VERSION_NUMBER_INVALID);
    assertThat(errorOf(() -> SemVer.parse("1.0.0-beta")))
        .isEqualTo(MiniappError.VERSION_NUMBER_INVALID);
    assertThat(f.upload(app.appId(), "1.10.0", TestZip.minimal()).version())
        .isEqualTo(new SemVer(1, 10, 0));
    assertThat(SemVer.parse("1.10.0")).isGreaterThan(SemVer.parse("1.9.9"));
  }

  @Test
  void aRejectedPackageIsNotStored() {
    App app = f.app(AppKind.APP);
    MiniappException e = (MiniappException) org.assertj.core.api.Assertions.catchThrowable(
        () -> f.upload(app.appId(), "1.0.0", TestZip.minimal().file("../x.js", "x")));
    assertThat(e.error()).isEqualTo(MiniappError.PACKAGE_INVALID);
    assertThat(e.details()).singleElement().asString().contains("path-traversal");
    assertThat(v().list(app.appId())).isEmpty();
  }

  /** Drives a new app's version 1.0.0 into {@code state}. */
  static String appWithVersionIn(VersionState state) {
    String id = f.app(AppKind.APP).appId();
    f.upload(id, "1.0.0", TestZip.minimal());
    switch (state) {
      case DEVELOP -> { }
      case TRIAL -> v().startTrial(id, V1, List.of(UUID.randomUUID()), "dev");
      case AUDITING -> v().submitAudit(id, V1, SUBMISSION, "dev");
      case REJECTED -> {
        v().submitAudit(id, V1, SUBMISSION, "dev");
        v().reject(id, V1, "operator:bo", FINDINGS);
      }
      case ROLLBACK -> throw new IllegalArgumentException("use rolledBackApp()");
      case APPROVED, GRAY, ONLINE, OFFLINE -> {
        v().submitAudit(id, V1, SUBMISSION, "dev");
        v().approve(id, V1, "operator:bo", null);
        if (state == VersionState.GRAY) {
          v().startGray(id, V1, 10, "dev");
        } else if (state == VersionState.ONLINE) {
          v().release(id, V1, "dev");
        } else if (state == VersionState.OFFLINE) {
          v().release(id, V1, "dev");
          v().offline(id, V1, "dev");
        }
      }
    }
    assertThat(v().get(id, V1).state()).isEqualTo(state);
    return id;
  }

  /** An app whose version 1.0.0 was online and was rolled back to 0.9.0. */
  static String rolledBackApp() {
    String id = f.app(AppKind.APP).appId();
    SemVer old = SemVer.parse("0.9.0");
    for (SemVer ver : List.of(old, V1)) {
      f.upload(id, ver.toString(), TestZip.minimal());
      v().submitAudit(id, ver, SUBMISSION, "dev");
      v().approve(id, ver, "operator:bo", null);
      v().release(id, ver, "dev");
    }
    v().rollback(id, "dev");
    assertThat(v().get(id, V1).state()).isEqualTo(VersionState.ROLLBACK);
    return id;
  }

  record Step(String name, Set<VersionState> from, VersionState to, Consumer<String> run) {}

  static final List<Step> STEPS = List.of(
      new Step("startTrial", EnumSet.of(VersionState.DEVELOP, VersionState.TRIAL),
          VersionState.TRIAL, id -> v().startTrial(id, V1, List.of(UUID.randomUUID()), "dev")),
      new Step("returnToDevelop", EnumSet.of(VersionState.TRIAL, VersionState.REJECTED),
          VersionState.DEVELOP, id -> v().returnToDevelop(id, V1, "dev")),
      new Step("submitAudit", EnumSet.of(VersionState.DEVELOP, VersionState.TRIAL),
          VersionState.AUDITING, id -> v().submitAudit(id, V1, SUBMISSION, "dev")),
      new Step("cancelAudit", EnumSet.of(VersionState.AUDITING), VersionState.DEVELOP,
          id -> v().cancelAudit(id, V1, "dev")),
      new Step("approve", EnumSet.of(VersionState.AUDITING), VersionState.APPROVED,
          id -> v().approve(id, V1, "operator:bo", "looks fine")),
      new Step("reject", EnumSet.of(VersionState.AUDITING), VersionState.REJECTED,
          id -> v().reject(id, V1, "operator:bo", FINDINGS)),
      new Step("startGray", EnumSet.of(VersionState.APPROVED), VersionState.GRAY,
          id -> v().startGray(id, V1, 20, "dev")),
      new Step("widenGray", EnumSet.of(VersionState.GRAY), VersionState.GRAY,
          id -> v().widenGray(id, V1, 50, "dev")),
      new Step("cancelGray", EnumSet.of(VersionState.GRAY), VersionState.APPROVED,
          id -> v().cancelGray(id, V1, "dev")),
      new Step("release", EnumSet.of(VersionState.APPROVED, VersionState.GRAY),
          VersionState.ONLINE, id -> v().release(id, V1, "dev")),
      new Step("offline", EnumSet.of(VersionState.ONLINE), VersionState.OFFLINE,
          id -> v().offline(id, V1, "dev")));

  @TestFactory
  List<DynamicTest> everyStepFromEveryState() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Step step : STEPS) {
      for (VersionState state : VersionState.values()) {
        boolean allowed = step.from().contains(state);
        tests.add(dynamicTest(step.name() + " from " + state + (allowed ? " -> " + step.to()
            : " is refused"), () -> {
              String id = state == VersionState.ROLLBACK ? rolledBackApp()
                  : appWithVersionIn(state);
              int steps = v().history(id, V1).size();
              if (allowed) {
                step.run().accept(id);
                assertThat(v().get(id, V1).state()).isEqualTo(step.to());
                Transition last = v().history(id, V1).get(steps);
                assertThat(last.from()).isEqualTo(state);
                assertThat(last.to()).isEqualTo(step.to());
                assertThat(last.actor()).isNotBlank();
              } else {
                MiniappException e = (MiniappException) org.assertj.core.api.Assertions
                    .catchThrowable(() -> step.run().accept(id));
                assertThat(e).as("refused").isNotNull();
                assertThat(e.error()).isEqualTo(MiniappError.TRANSITION_FORBIDDEN);
                assertThat(e.getMessage()).contains("is " + state).contains("needs it to be");
                assertThat(v().get(id, V1).state()).isEqualTo(state);
                assertThat(v().history(id, V1)).hasSize(steps);
              }
            }));
      }
    }
    return tests;
  }

  @Test
  void releaseSupersedesRollbackRestoresOfflineEmpties() {
    App app = f.app(AppKind.APP);
    String id = app.appId();
    f.events.log.clear();
    f.upload(id, "1.0.0", TestZip.minimal());
    v().submitAudit(id, V1, SUBMISSION, "dev");
    v().approve(id, V1, "operator:bo", null);
    v().release(id, V1, "dev");
    assertThat(f.apps.get(id).status()).isEqualTo(AppStatus.ONLINE);
    f.upload(id, "1.1.0", TestZip.minimal().file("new.js", "2"));
    v().submitAudit(id, V2, SUBMISSION, "dev");
    v().approve(id, V2, "operator:bo", null);
    v().release(id, V2, "dev");
    assertThat(v().get(id, V1).state()).isEqualTo(VersionState.OFFLINE);
    assertThat(v().history(id, V1)).last().satisfies(t -> assertThat(t.note())
        .isEqualTo("superseded by 1.1.0"));
    UUID user = UUID.randomUUID();
    assertThat(f.resolver.versionFor(id, user)).hasValue(new ResolvedVersion(id, V2,
        EnvVersion.RELEASE));

    Version restored = v().rollback(id, "ops");
    assertThat(restored.version()).isEqualTo(V1);
    assertThat(restored.state()).isEqualTo(VersionState.ONLINE);
    assertThat(v().get(id, V2).state()).isEqualTo(VersionState.ROLLBACK);
    assertThat(f.resolver.versionFor(id, user).orElseThrow().version()).isEqualTo(V1);
    assertThat(errorOf(() -> v().rollback(id, "ops")))
        .isEqualTo(MiniappError.TRANSITION_FORBIDDEN);

    v().offline(id, V1, "ops");
    assertThat(f.apps.get(id).status()).isEqualTo(AppStatus.OFFLINE);
    assertThat(f.resolver.versionFor(id, user)).isEmpty();
    assertThat(errorOf(() -> v().rollback(id, "ops")))
        .isEqualTo(MiniappError.TRANSITION_FORBIDDEN);
    assertThat(f.events.log).containsExactly("online " + id, "online " + id, "online " + id,
        "offline " + id);
  }

  @Test
  void aVersionBelowTheOnlineOneCannotBeReleased() {
    String id = f.app(AppKind.APP).appId();
    SemVer low = SemVer.parse("0.5.0");
    f.upload(id, "0.5.0", TestZip.minimal());
    v().submitAudit(id, low, SUBMISSION, "dev");
    v().approve(id, low, "op", null);
    f.upload(id, "1.0.0", TestZip.minimal());
    v().submitAudit(id, V1, SUBMISSION, "dev");
    v().approve(id, V1, "op", null);
    v().release(id, V1, "dev");
    assertThat(errorOf(() -> v().release(id, low, "dev")))
        .isEqualTo(MiniappError.TRANSITION_FORBIDDEN);
    assertThat(errorOf(() -> v().startGray(id, low, 5, "dev")))
        .isEqualTo(MiniappError.TRANSITION_FORBIDDEN);
  }

  @Test
  void oneVersionPerSlot() {
    String id = f.app(AppKind.APP).appId();
    f.upload(id, "1.0.0", TestZip.minimal());
    f.upload(id, "1.1.0", TestZip.minimal());
    v().submitAudit(id, V1, SUBMISSION, "dev");
    MiniappException e = (MiniappException) org.assertj.core.api.Assertions.catchThrowable(
        () -> v().submitAudit(id, V2, SUBMISSION, "dev"));
    assertThat(e.error()).isEqualTo(MiniappError.SLOT_TAKEN);
    assertThat(e.getMessage()).contains("version 1.0.0 is AUDITING");
    v().startTrial(id, V2, List.of(UUID.randomUUID()), "dev");
    assertThat(errorOf(() -> v().startTrial(id, V1, List.of(UUID.randomUUID()), "dev")))
        .isEqualTo(MiniappError.TRANSITION_FORBIDDEN);
  }

  @Test
  void argumentsAreChecked() {
    String id = appWithVersionIn(VersionState.AUDITING);
    assertThat(errorOf(() -> v().reject(id, V1, "op", List.of())))
        .isEqualTo(MiniappError.INVALID_ARGUMENT);
    assertThat(errorOf(() -> v().reject(id, V1, "op", List.of(new Finding("", "r", "x")))))
        .isEqualTo(MiniappError.INVALID_ARGUMENT);
    v().reject(id, V1, "op", FINDINGS);
    assertThat(v().get(id, V1).findings()).isEqualTo(FINDINGS);
    assertThat(v().history(id, V1)).last().satisfies(t -> assertThat(t.note())
        .contains("app.js [no-remote-code]"));
    String approved = appWithVersionIn(VersionState.APPROVED);
    assertThat(errorOf(() -> v().startGray(approved, V1, 0, "dev")))
        .isEqualTo(MiniappError.INVALID_ARGUMENT);
    assertThat(errorOf(() -> v().startGray(approved, V1, 100, "dev")))
        .isEqualTo(MiniappError.INVALID_ARGUMENT);
    v().startGray(approved, V1, 30, "dev");
    assertThat(errorOf(() -> v().widenGray(approved, V1, 30, "dev")))
        .isEqualTo(MiniappError.INVALID_ARGUMENT);
    assertThat(errorOf(() -> v().submitAudit(appWithVersionIn(VersionState.DEVELOP), V1,
        new AuditSubmission("x", "nonsense", List.of()), "dev")))
        .isEqualTo(MiniappError.INVALID_ARGUMENT);
    assertThat(errorOf(() -> v().approve("nope", V1, "op", null)))
        .isEqualTo(MiniappError.VERSION_NOT_FOUND);
    assertThat(errorOf(() -> v().startTrial(appWithVersionIn(VersionState.DEVELOP), V1,
        List.of(), "dev"))).isEqualTo(MiniappError.INVALID_ARGUMENT);
  }

  @Test
  void testersGetTheTrialGrayUsersTheGrayOthersTheOnline() {
    String id = f.app(AppKind.APP).appId();
    f.upload(id, "1.0.0", TestZip.minimal());
    v().submitAudit(id, V1, SUBMISSION, "dev");
    v().approve(id, V1, "op", null);
    v().release(id, V1, "dev");
    SemVer v3 = SemVer.parse("1.2.0");
    f.upload(id, "1.1.0", TestZip.minimal());
    f.upload(id, "1.2.0", TestZip.minimal());
    v().submitAudit(id, V2, SUBMISSION, "dev");
    v().approve(id, V2, "op", null);
    v().startGray(id, V2, 30, "dev");
    UUID tester = UUID.randomUUID();
    v().startTrial(id, v3, List.of(tester), "dev");
    assertThat(v().testers(id, v3)).containsExactly(tester);
    assertThat(f.resolver.versionFor(id, tester)).hasValue(new ResolvedVersion(id, v3,
        EnvVersion.TRIAL));
    Map<SemVer, Integer> served = new LinkedHashMap<>();
    for (int i = 0; i < 400; i++) {
      UUID u = UUID.randomUUID();
      ResolvedVersion r = f.resolver.versionFor(id, u).orElseThrow();
      assertThat(r.envVersion()).isEqualTo(EnvVersion.RELEASE);
      assertThat(r.version()).isEqualTo(VersionResolver.inGray(id, u, 30) ? V2 : V1);
      served.merge(r.version(), 1, Integer::sum);
    }
    assertThat(served.get(V2)).isBetween(80, 160);
    v().cancelGray(id, V2, "dev");
    assertThat(f.resolver.versionFor(id, UUID.randomUUID()).orElseThrow().version())
        .isEqualTo(V1);
    assertThat(f.resolver.preview(id, v3).envVersion().wire()).isEqualTo("develop");
    assertThat(f.resolver.versionFor("no-such-app", tester)).isEmpty();
  }

  @Test
  void reviewQueueShowsWhatChangedAgainstTheOnlineVersion() {
    App app = f.app(AppKind.APP);
    String id = app.appId();
    f.upload(id, "1.0.0", TestZip.minimal());
    v().submitAudit(id, V1, SUBMISSION, "dev");
    assertThat(f.review.pending(100)).anySatisfy(item -> {
      assertThat(item.appId()).isEqualTo(id);
      assertThat(item.diff().against()).isNull();
      assertThat(item.diff().filesAdded()).hasSize(4);
    });
    v().approve(id, V1, "op", null);
    v().release(id, V1, "dev");
    TestZip next = TestZip.minimal().remove("app.json").remove("app.css")
        .file("app.json", "{\"pages\":[\"pages/index/index\"],\"permission\":{"
            + "\"scope.userLocation\":{\"desc\":\"Nearest cinema\"},\"scope.camera\":{\"desc\":"
            + "\"Scan tickets\"}},\"domains\":[\"https://api.example.com\","
            + "\"https://pay.example.com\"]}")
        .remove("app.js").file("app.js", "changed()").file("seat.js", "new()");
    f.upload(id, "1.1.0", next);
    v().submitAudit(id, V2, SUBMISSION, "dev");
    ReviewItem item = f.review.pending(100).stream().filter(i -> i.appId().equals(id))
        .findFirst().orElseThrow();
    assertThat(item.version()).isEqualTo(V2);
    assertThat(item.appName()).isEqualTo(app.profile().name());
    assertThat(item.merchantName()).isEqualTo("Old Town Cinema Co.");
    assertThat(item.submission()).isEqualTo(SUBMISSION);
    VersionDiff d = item.diff();
    assertThat(d.against()).isEqualTo(V1);
    assertThat(d.filesAdded()).containsExactly("seat.js");
    assertThat(d.filesRemoved()).containsExactly("app.css");
    assertThat(d.filesChanged()).containsExactly("app.js", "app.json");
    assertThat(d.domainsAdded()).containsExactly("https://pay.example.com");
    assertThat(d.scopesAdded()).containsExactly("scope.camera");
    v().approve(id, V2, "op", null);
    assertThat(f.review.pending(100)).noneMatch(i -> i.appId().equals(id));
  }

  @Test
  void filesAreStoredOnceAcrossVersionsAndApps() {
    long before = f.store.objectCount();
    String a = f.app(AppKind.APP).appId();
    String b = f.app(AppKind.APP).appId();
    TestZip unique = TestZip.minimal().file("unique.txt", UUID.randomUUID().toString());
    f.upload(a, "1.0.0", unique);
    long afterFirst = f.store.objectCount();
    f.upload(a, "2.0.0", unique);
    f.upload(b, "1.0.0", unique);
    assertThat(f.store.objectCount()).isEqualTo(afterFirst);
    f.upload(b, "1.0.1", unique.file("more.txt", UUID.randomUUID().toString()));
    assertThat(f.store.objectCount()).isEqualTo(afterFirst + 1);
    assertThat(afterFirst - before).isBetween(1L, 5L);
    PackageFile file = v().file(b, SemVer.parse("1.0.1"), "app.js").orElseThrow();
    assertThat(new String(f.store.read(file.sha256()))).isEqualTo("my.getSystemInfo();");
    assertThat(f.store.path(file.sha256()).toString())
        .endsWith("objects/" + file.sha256().substring(0, 2) + "/" + file.sha256().substring(2));
  }
}
