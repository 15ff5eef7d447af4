package dev.hutong.miniapp.runtime;

import dev.hutong.miniapp.AppKind;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.AuditSubmission;
import dev.hutong.miniapp.NewApp;
import dev.hutong.miniapp.PackageFile;
import dev.hutong.miniapp.PackageRejectedException;
import dev.hutong.miniapp.PackageValidator;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.ValidatedPackage;
import dev.hutong.miniapp.Version;
import dev.hutong.miniapp.Versions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The operator's shortcut ({@code hutong admin miniapp install --dir DIR}): a package goes
 * straight to ONLINE for everyone, through the ordinary lifecycle steps (upload, audit, approval
 * by the operator, release) so every transition is recorded as usual. Installing the same files
 * again changes nothing and answers the online version; different files become the next patch
 * version.
 */
public final class DirectInstall {
  public static final String DEFAULT_CATEGORY = "general";
  public static final String DEFAULT_CITY = "Everywhere";

  /** What was installed, and whether this call changed anything. */
  public record Installed(Version version, boolean created) {}

  private final Apps apps;
  private final Versions versions;
  private final PackageValidator validator;

  public DirectInstall(Apps apps, Versions versions, PackageValidator validator) {
    this.apps = apps;
    this.versions = versions;
    this.validator = validator;
  }

  /**
   * @param profile the app's profile when it is created; null takes the name from app.json's
   *     {@code window.defaultTitle}
   */
  public Installed install(String appId, UUID merchantId, AppProfile profile, byte[] zip,
      String operator) {
    ValidatedPackage pkg;
    try {
      pkg = validator.validate(zip);
    } catch (PackageRejectedException e) {
      throw e.asMiniappException();
    }
    if (apps.find(appId).isEmpty()) {
      apps.create(new NewApp(appId, merchantId, AppKind.APP,
          profile != null ? profile : defaultProfile(appId, pkg)));
    }
    Optional<Version> online = versions.online(appId);
    if (online.isPresent() && sameFiles(versions.files(appId, online.get().version()),
        pkg.manifest().files())) {
      return new Installed(online.get(), false);
    }
    SemVer next = versions.list(appId).stream().map(Version::version)
        .max(Comparator.naturalOrder())
        .map(v -> new SemVer(v.major(), v.minor(), v.patch() + 1))
        .orElse(new SemVer(1, 0, 0));
    versions.upload(appId, next, pkg, operator);
    versions.submitAudit(appId, next, new AuditSubmission("Installed by the operator",
        DEFAULT_CATEGORY, List.of()), operator);
    versions.approve(appId, next, operator, "installed directly by the operator");
    return new Installed(versions.release(appId, next, operator), true);
  }

  private static boolean sameFiles(List<PackageFile> a, List<PackageFile> b) {
    return byPath(a).equals(byPath(b));
  }

  private static Map<String, String> byPath(List<PackageFile> files) {
    return files.stream().collect(Collectors.toMap(PackageFile::path, PackageFile::sha256));
  }

  private static AppProfile defaultProfile(String appId, ValidatedPackage pkg) {
    String title = pkg.manifest().appJson().path("window").path("defaultTitle").asText("");
    String name = title.isBlank() ? "App " + appId : title;
    return new AppProfile(name, name, DEFAULT_CATEGORY, List.of(), DEFAULT_CITY, null);
  }
}
