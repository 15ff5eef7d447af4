package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.identity.Tx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The operators' review queue: versions in AUDITING, oldest submission first, each with its diff
 * against the online version. Deciding is {@link Versions#approve} or {@link Versions#reject}.
 */
public final class ReviewQueue {
  public static final int PAGE_MAX = 100;

  private final Jdbi jdbi;
  private final MerchantDirectory merchants;

  public ReviewQueue(Jdbi jdbi, MerchantDirectory merchants) {
    this.jdbi = jdbi;
    this.merchants = merchants;
  }

  public List<ReviewItem> pending(int limit) {
    int n = Math.max(1, Math.min(limit, PAGE_MAX));
    return Tx.read(jdbi, h -> {
      List<ReviewItem> out = new ArrayList<>();
      for (Version v : Versions.inState(h, VersionState.AUDITING, n)) {
        App app = Apps.find(h, v.appId()).orElseThrow();
        out.add(new ReviewItem(v.appId(), app.profile().name(),
            merchants.merchantName(app.merchantId()).orElse("(unknown merchant)"), v.version(),
            v.audit(), v.updatedAt(), diff(h, v), v.templateAppId(), v.ext(), extChanges(h, v)));
      }
      return out;
    });
  }

  /** The diff of any version against the app's online version. */
  public VersionDiff diff(String appId, SemVer version) {
    return Tx.read(jdbi, h -> diff(h, Versions.version(h, appId, version)
        .orElseThrow(() -> Versions.versionNotFound(appId, version))));
  }

  private static VersionDiff diff(Handle h, Version v) {
    Optional<Version> online = h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a AND"
            + " state = 'ONLINE'").bind("a", v.appId()).map(Versions::mapVersion).findOne();
    Map<String, String> base = new TreeMap<>();
    if (online.isPresent()) {
      Versions.files(h, v.appId(), online.get().version().toString())
          .forEach(f -> base.put(f.path(), f.sha256()));
    }
    Map<String, String> mine = new TreeMap<>();
    Versions.files(h, v.appId(), v.version().toString())
        .forEach(f -> mine.put(f.path(), f.sha256()));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> f : mine.entrySet()) {
      String before = base.get(f.getKey());
      if (before == null) {
        added.add(f.getKey());
      } else if (!before.equals(f.getValue())) {
        changed.add(f.getKey());
      }
    }
    List<String> removed = base.keySet().stream().filter(p -> !mine.containsKey(p)).toList();
    JsonNode baseJson = online.map(Version::appJson).orElse(null);
    TreeSet<String> baseDomains = new TreeSet<>(Versions.collect(
        baseJson == null ? null : baseJson.get("domains")));
    TreeSet<String> domains = new TreeSet<>(Versions.collect(v.appJson().get("domains")));
    TreeSet<String> baseScopes = scopes(baseJson);
    TreeSet<String> scopes = scopes(v.appJson());
    return new VersionDiff(online.map(Version::version).orElse(null), added, removed, changed,
        domains.stream().filter(d -> !baseDomains.contains(d)).toList(),
        baseDomains.stream().filter(d -> !domains.contains(d)).toList(),
        scopes.stream().filter(s -> !baseScopes.contains(s)).toList());
  }

  /** An instance version's ext against the newest version below it (say, the rejected one). */
  private static List<ExtChange> extChanges(Handle h, Version v) {
    if (v.ext() == null) {
      return List.of();
    }
    JsonNode before = h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a AND"
            + " (major, minor, patch) < (:ma, :mi, :pa) ORDER BY major DESC, minor DESC,"
            + " patch DESC LIMIT 1").bind("a", v.appId()).bind("ma", v.version().major())
        .bind("mi", v.version().minor()).bind("pa", v.version().patch())
        .map(Versions::mapVersion).findOne().map(Version::ext).orElse(null);
    TreeSet<String> fields = new TreeSet<>();
    v.ext().fieldNames().forEachRemaining(fields::add);
    if (before != null) {
      before.fieldNames().forEachRemaining(fields::add);
    }
    List<ExtChange> out = new ArrayList<>();
    for (String f : fields) {
      JsonNode was = before == null ? null : before.get(f);
      JsonNode now = v.ext().get(f);
      if (was == null || !was.equals(now)) {
        out.add(new ExtChange(f, was, now));
      }
    }
    return out;
  }

  private static TreeSet<String> scopes(JsonNode appJson) {
    TreeSet<String> out = new TreeSet<>();
    if (appJson != null && appJson.has("permission")) {
      appJson.get("permission").fieldNames().forEachRemaining(out::add);
    }
    return out;
  }
}
