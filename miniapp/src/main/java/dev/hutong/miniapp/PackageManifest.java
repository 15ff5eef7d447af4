package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a validated package holds: its app.json, the pages (the first is the home page; sub-package
 * pages follow with their root prefixed), the network allowlist, the permission scopes with their
 * purpose texts, every file with its SHA-256, and the ext schema of a template.
 */
public record PackageManifest(
    JsonNode appJson,
    List<String> pages,
    List<String> subPackageRoots,
    List<String> domains,
    Map<String, String> permissions,
    List<PackageFile> files,
    long mainBytes,
    long totalBytes,
    Optional<JsonNode> extSchema) {

  /** The page a launch without {@code page=} opens. */
  public String homePage() {
    return pages.get(0);
  }

  /** The file of a page: {@code pages/index/index} is served from {@code pages/index/index.html}. */
  public static String pageFile(String page) {
    return page + ".html";
  }

  public Optional<PackageFile> file(String path) {
    return files.stream().filter(f -> f.path().equals(path)).findFirst();
  }
}
