package dev.hutong.miniapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every package rule, each with a package that breaks it (built byte by byte in TestZip). */
class PackageValidatorTest {
  static final PackageValidator VALIDATOR = new PackageValidator();
  static final PackageLimits SMALL = new PackageLimits(4096, 300, 600, 6, 100, 64 * 1024, 255,
      64 * 1024);

  static TestZip withAppJson(String json) {
    return TestZip.minimal().remove("app.json").file("app.json", json);
  }

  static Arguments bad(String rule, String file, Supplier<byte[]> zip) {
    return Arguments.of(rule, file, zip);
  }

  static Stream<Arguments> badPackages() {
    String page = "<!doctype html>";
    return Stream.of(
        bad("not-a-zip", PackageProblem.ARCHIVE, () -> "hello, not a zip at all".getBytes()),
        bad("not-a-zip", PackageProblem.ARCHIVE, () -> new byte[10]),
        bad("empty", PackageProblem.ARCHIVE, () -> new TestZip().bytes()),
        bad("not-a-zip", PackageProblem.ARCHIVE, () -> {
          byte[] z = TestZip.minimal().bytes();
          return Arrays.copyOf(z, z.length - 30);
        }),
        bad("corrupt", "app.json", () -> {
          byte[] z = TestZip.minimal().bytes();
          z[0] = 0;
          return z;
        }),
        bad("zip64", PackageProblem.ARCHIVE, () -> TestZip.minimal().declaredEntryCount(0xFFFF)
            .bytes()),
        bad("name-not-utf8", null, () -> TestZip.minimal().rawName(new byte[] {'a', (byte) 0xFF,
            (byte) 0xFE, '.', 'j', 's'}, "x").bytes()),
        bad("encrypted", "secret.js", () -> TestZip.minimal().file("secret.js", "x")
            .with(e -> e.flags |= 1).bytes()),
        bad("symlink", "pages/link.html", () -> TestZip.minimal()
            .symlink("pages/link.html", "/etc/passwd").bytes()),
        bad("special-file", "fifo.txt", () -> TestZip.minimal().file("fifo.txt", "")
            .with(e -> e.externalAttributes = 010644L << 16).bytes()),
        bad("backslash", "pages\\evil.js", () -> TestZip.minimal().file("pages\\evil.js", "x")
            .bytes()),
        bad("absolute-path", "/etc/evil.js", () -> TestZip.minimal().file("/etc/evil.js", "x")
            .bytes()),
        bad("absolute-path", "C:/evil.js", () -> TestZip.minimal().file("C:/evil.js", "x")
            .bytes()),
        bad("path-traversal", "../evil.js", () -> TestZip.minimal().file("../evil.js", "x")
            .bytes()),
        bad("path-traversal", "pages/../../evil.js", () -> TestZip.minimal()
            .file("pages/../../evil.js", "x").bytes()),
        bad("path-segments", "pages//a.js", () -> TestZip.minimal().file("pages//a.js", "x")
            .bytes()),
        bad("path-segments", "./a.js", () -> TestZip.minimal().file("./a.js", "x").bytes()),
        bad("name-characters", "a*b.js", () -> TestZip.minimal().file("a*b.js", "x").bytes()),
        bad("name-characters", "a\u0001.js", () -> TestZip.minimal().file("a\u0001.js", "x")
            .bytes()),
        bad("hidden-file", ".env.txt", () -> TestZip.minimal().file(".env.txt", "x").bytes()),
        bad("hidden-file", "__MACOSX/._app.js", () -> TestZip.minimal()
            .file("__MACOSX/._app.js", "x").bytes()),
        bad("path-too-long", "a".repeat(300) + ".js", () -> TestZip.minimal()
            .file("a".repeat(300) + ".js", "x").bytes()),
        bad("compression-method", "a.js", () -> TestZip.minimal().file("a.js", "x")
            .with(e -> e.method = 12).bytes()),
        bad("duplicate-entry", "app.js", () -> TestZip.minimal().file("app.js", "again").bytes()),
        bad("duplicate-entry", "App.JS", () -> TestZip.minimal().file("App.JS", "x").bytes()),
        bad("file-type", "tool.exe", () -> TestZip.minimal().file("tool.exe", "MZ").bytes()),
        bad("file-type", "README", () -> TestZip.minimal().file("README", "x").bytes()),
        bad("file-type", "lib.wasm", () -> TestZip.minimal().file("lib.wasm", "x").bytes()),
        bad("file-directory-clash", "lib.js", () -> TestZip.minimal().file("lib.js", "x")
            .file("lib.js/inner.js", "y").bytes()),
        bad("file-directory-clash", "logo.png", () -> TestZip.minimal().dir("logo.png/")
            .file("logo.png", "x").bytes()),
        bad("overlapping-entries", "app.js", () -> TestZip.minimal()
            .withEntry("app.js", e -> e.declaredCompressedSize = 40L).bytes()),
        bad("header-mismatch", "app.css", () -> TestZip.minimal()
            .with(e -> e.localName = "app.cs_".getBytes()).bytes()),
        bad("size-mismatch", "app.css", () -> TestZip.minimal().with(e -> e.declaredSize = 5L)
            .bytes()),
        bad("crc-mismatch", "app.css", () -> TestZip.minimal().with(e -> e.crc = 12345L)
            .bytes()),
        bad("compression-ratio", "pad.txt", () -> TestZip.minimal()
            .file("pad.txt", new byte[1_000_000]).bytes()),
        bad("app-json-missing", "app.json", () -> TestZip.minimal().remove("app.json").bytes()),
        bad("app-json-missing", "app.json", () -> TestZip.minimal().remove("app.json")
            .file("myapp/app.json", "{}").bytes()),
        bad("json-syntax", "app.json", () -> withAppJson("{\"pages\": [").bytes()),
        bad("json-syntax", "app.json", () -> withAppJson("{\"pages\":[\"a\"],\"pages\":[]}")
            .bytes()),
        bad("json-syntax", "app.json", () -> TestZip.minimal().remove("app.json")
            .file("app.json", new byte[] {'{', (byte) 0xC3, '}'}).bytes()),
        bad("json-size", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"window\":{\"defaultTitle\":\"" + new String(random(70_000)) + "\"}}").bytes()),
        bad("app-json-schema", "app.json", () -> withAppJson("{\"pages\":[]}").bytes()),
        bad("app-json-schema", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"usingComponents\":{}}").bytes()),
        bad("app-json-schema", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"window\":{\"titleBarColor\":\"red\"}}").bytes()),
        bad("app-json-schema", "app.json", () -> withAppJson("{\"pages\":[\"pages/index.html\"]}")
            .bytes()),
        bad("page-missing", "pages/about/about.html", () -> withAppJson("{\"pages\":"
            + "[\"pages/index/index\",\"pages/about/about\"]}").bytes()),
        bad("page-duplicate", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\","
            + "\"shop/list\"],\"subPackages\":[{\"root\":\"shop\",\"pages\":[\"list\"]}]}")
            .file("shop/list.html", page).bytes()),
        bad("sub-package-root", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"subPackages\":[{\"root\":\"shop\",\"pages\":[\"a\"]},{\"root\":\"shop/x\","
            + "\"pages\":[\"b\"]}]}").file("shop/a.html", page).file("shop/x/b.html", page)
            .bytes()),
        bad("tabbar-page", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"tabBar\":{\"items\":[{\"pagePath\":\"pages/index/index\",\"name\":\"Home\"},"
            + "{\"pagePath\":\"pages/me/me\",\"name\":\"Me\"}]}}").bytes()),
        bad("tabbar-icon", "img/home.png", () -> withAppJson("{\"pages\":[\"pages/index/index\","
            + "\"pages/me/me\"],\"tabBar\":{\"items\":[{\"pagePath\":\"pages/index/index\","
            + "\"name\":\"Home\",\"icon\":\"img/home.png\"},{\"pagePath\":\"pages/me/me\","
            + "\"name\":\"Me\"}]}}").file("pages/me/me.html", page).bytes()),
        bad("permission-scope", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"permission\":{\"scope.contacts\":{\"desc\":\"Find friends\"}}}").bytes()),
        bad("permission-desc", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"permission\":{\"scope.camera\":{\"desc\":\"   \"}}}").bytes()),
        bad("domain-format", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"domains\":[\"http://api.example.com\"]}").bytes()),
        bad("domain-format", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"domains\":[\"https://api.example.com/v1\"]}").bytes()),
        bad("domain-format", "app.json", () -> withAppJson("{\"pages\":[\"pages/index/index\"],"
            + "\"domains\":[\"https://*.example.com\"]}").bytes()),
        bad("ext-schema", "ext.schema.json", () -> TestZip.minimal().file("ext.schema.json",
            "{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":"
                + "\"https://evil.example.com/s.json\"}}}").bytes()),
        bad("ext-schema", "ext.schema.json", () -> TestZip.minimal().file("ext.schema.json",
            "{\"type\":12}").bytes()),
        bad("ext-schema", "ext.schema.json", () -> TestZip.minimal().file("ext.schema.json",
            "{\"$schema\":\"http://json-schema.org/draft-04/schema#\"}").bytes()));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badPackages")
  void everyRuleHasABadPackage(String rule, String file, Supplier<byte[]> zip) {
    List<PackageProblem> problems = VALIDATOR.problems(zip.get());
    assertThat(problems).as("problems %s", problems).anySatisfy(p -> {
      assertThat(p.rule()).isEqualTo(rule);
      if (file != null) {
        assertThat(p.file()).isEqualTo(file);
      }
      assertThat(p.message()).isNotBlank();
    });
  }

  @Test
  void limitsApplyToInflatedBytes() {
    PackageValidator small = new PackageValidator(SMALL);
    // The archive as a whole.
    byte[] big = TestZip.minimal().file("big.txt", random(5000)).with(e -> e.method = 0).bytes();
    assertThatThrownBy(() -> small.validate(new ByteArrayInputStream(big)))
        .isInstanceOfSatisfying(PackageRejectedException.class,
            e -> assertThat(e.problems()).extracting(PackageProblem::rule)
                .containsExactly("archive-size"));
    // Entry count.
    TestZip many = TestZip.minimal();
    for (int i = 0; i < 5; i++) {
      many.file("f" + i + ".js", "x");
    }
    assertThat(small.problems(many.bytes())).extracting(PackageProblem::rule)
        .containsExactly("too-many-entries");
    // Total unpacked size, even though the declared size is small (the lie is not believed).
    byte[] lying = TestZip.minimal().file("data.txt", random(700)).with(e -> e.declaredSize = 10L)
        .bytes();
    assertThat(small.problems(lying)).extracting(PackageProblem::rule)
        .containsExactly("total-size");
  }

  @Test
  void mainPackageLimitLeavesSubPackagesOut() {
    PackageLimits limits = new PackageLimits(1 << 20, 400, 4000, 50, 100, 64 * 1024, 255,
        64 * 1024);
    PackageValidator v = new PackageValidator(limits);
    String appJson = "{\"pages\":[\"pages/index/index\"],\"subPackages\":[{\"root\":\"shop\","
        + "\"pages\":[\"list\"]}]}";
    byte[] ok = withAppJson(appJson).file("shop/list.html", random(1500)).bytes();
    ValidatedPackage pkg = v.validate(ok);
    assertThat(pkg.manifest().pages()).containsExactly("pages/index/index", "shop/list");
    assertThat(pkg.manifest().subPackageRoots()).containsExactly("shop");
    assertThat(pkg.manifest().mainBytes()).isLessThan(400);
    byte[] tooBig = withAppJson(appJson).file("shop/list.html", "x").file("img.txt", random(500))
        .bytes();
    assertThat(v.problems(tooBig)).singleElement().satisfies(p -> {
      assertThat(p.rule()).isEqualTo("main-package-size");
      assertThat(p.message()).contains("img.txt");
    });
  }

  @Test
  void aValidPackageBecomesAManifest() {
    ValidatedPackage pkg = VALIDATOR.validate(TestZip.minimal().dir("pages/")
        .file("img/logo.PNG", new byte[] {(byte) 0x89, 'P', 'N', 'G'}).bytes());
    PackageManifest m = pkg.manifest();
    assertThat(m.homePage()).isEqualTo("pages/index/index");
    assertThat(m.domains()).containsExactly("https://api.example.com");
    assertThat(m.permissions()).containsEntry("scope.userLocation", "Find the nearest cinema");
    assertThat(m.files()).extracting(PackageFile::path).containsExactly("app.css", "app.js",
        "app.json", "img/logo.PNG", "pages/index/index.html");
    assertThat(m.file("app.js").orElseThrow().sha256())
        .isEqualTo(PackageValidator.sha256("my.getSystemInfo();".getBytes(StandardCharsets.UTF_8)));
    assertThat(m.file("img/logo.PNG").orElseThrow().contentType()).isEqualTo("image/png");
    assertThat(m.file("pages/index/index.html").orElseThrow().contentType())
        .startsWith("text/html");
    assertThat(m.totalBytes()).isEqualTo(m.files().stream().mapToLong(PackageFile::sizeBytes)
        .sum());
    assertThat(m.extSchema()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    byte[] zip = withAppJson("{\"pages\":[\"pages/index/index\",\"pages/a/a\"],"
        + "\"domains\":[\"ftp://x\"]}").file("tool.exe", "x").file("../up.js", "x").bytes();
    assertThatThrownBy(() -> VALIDATOR.validate(zip))
        .isInstanceOfSatisfying(PackageRejectedException.class, e -> {
          assertThat(e.problems()).extracting(PackageProblem::rule)
              .contains("file-type", "path-traversal");
          assertThat(e.getMessage()).contains("tool.exe").contains("../up.js");
        });
  }

  @Test
  void domainsAcceptOriginsOnly() {
    assertThat(PackageValidator.domainProblem("https://api.example.com")).isNull();
    assertThat(PackageValidator.domainProblem("https://api.example.com:8443")).isNull();
    assertThat(PackageValidator.domainProblem("http://localhost:3000")).isNull();
    assertThat(PackageValidator.domainProblem("https://API.example.com")).isNotNull();
    assertThat(PackageValidator.domainProblem("https://example")).isNotNull();
    assertThat(PackageValidator.domainProblem("https://user@example.com")).isNotNull();
    assertThat(PackageValidator.domainProblem("https://example.com:0")).isNotNull();
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.util.Random(n).nextBytes(b);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + Math.floorMod(b[i], 26));
    }
    return b;
  }
}
