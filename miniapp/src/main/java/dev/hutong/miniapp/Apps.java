package dev.hutong.miniapp;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hutong.identity.Tx;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** App records: who owns the app, what users see of it, and whether it is online. */
public final class Apps {
  public static final int NAME_CHARS_MAX = 64;
  public static final int DESCRIPTION_CHARS_MAX = 500;
  public static final int KEYWORDS_MAX = 10;
  public static final int KEYWORD_CHARS_MAX = 32;
  public static final int CITY_CHARS_MAX = 64;
  public static final int ICON_CHARS_MAX = 255;
  /** Per merchant listing bound (a page of the console). */
  public static final int LIST_MAX = 500;
  private static final Pattern APP_ID = Pattern.compile("[0-9a-z]([0-9a-z-]{0,61}[0-9a-z])?");
  private static final int GENERATED_ID_ATTEMPTS = 5;

  private final Jdbi jdbi;
  private final MerchantDirectory merchants;
  private final AppEvents events;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Apps(Jdbi jdbi, MerchantDirectory merchants, AppEvents events, Clock clock) {
    this.jdbi = jdbi;
    this.merchants = merchants;
    this.events = events;
    this.clock = clock;
  }

  /** Creates an ordinary app or a template. Instances are made by {@link Templates#instantiate}. */
  public App create(NewApp request) {
    if (request.kind() == AppKind.INSTANCE) {
      throw new MiniappException(MiniappError.INVALID_ARGUMENT, "instances are created from a"
          + " template with Templates.instantiate, which binds the template version and ext");
    }
    return insert(request, null);
  }

  App insert(NewApp request, String templateAppId) {
    if (request.merchantId() == null || request.kind() == null) {
      throw new MiniappException(MiniappError.INVALID_ARGUMENT, "merchantId and kind are"
          + " required");
    }
    if (merchants.merchantName(request.merchantId()).isEmpty()) {
      throw new MiniappException(MiniappError.INVALID_ARGUMENT, "merchant "
          + request.merchantId() + " does not exist; create the merchant first");
    }
    AppProfile profile = validProfile(request.profile());
    if (request.appId() != null && !APP_ID.matcher(request.appId()).matches()) {
      throw new MiniappException(MiniappError.INVALID_ARGUMENT, "app id \"" + request.appId()
          + "\" must be 1-63 lowercase letters, digits or hyphens (not at either end): it is"
          + " also the host name label of the app's origin");
    }
    Instant now = clock.instant();
    for (int attempt = 1; ; attempt++) {
      String appId = request.appId() != null ? request.appId() : generateId();
      try {
        Tx.run(jdbi, h -> h.createUpdate("INSERT INTO miniapp_app (app_id, merchant_id, kind,"
                + " name, description, category, keywords, city, icon_path, template_app_id,"
                + " status, created_at, updated_at) VALUES (:id, :merchant, :kind, :name, :desc,"
                + " :cat, CAST(:kw AS jsonb), :city, :icon, :tpl, 'DEVELOPING', :at, :at)")
            .bind("id", appId).bind("merchant", Tx.uuid(request.merchantId()))
            .bind("kind", request.kind().name()).bind("name", profile.name())
            .bind("desc", profile.description()).bind("cat", profile.category())
            .bind("kw", Json.write(profile.keywords())).bind("city", profile.city())
            .bind("icon", profile.iconPath()).bind("tpl", templateAppId)
            .bind("at", Tx.at(now)).execute());
        return new App(appId, request.merchantId(), request.kind(), profile, templateAppId,
            AppStatus.DEVELOPING, now, now);
      } catch (RuntimeException e) {
        if (!Tx.isUniqueViolation(e)) {
          throw e;
        }
        if (request.appId() != null) {
          throw new MiniappException(MiniappError.APP_EXISTS, "app " + appId
              + " already exists; choose another id or leave it out to get a generated one");
        }
        if (attempt >= GENERATED_ID_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  public Optional<App> find(String appId) {
    return Tx.read(jdbi, h -> find(h, appId));
  }

  /** The merchant of each of these apps that exists (at most 200 ids): one query. */
  public Map<String, UUID> merchantsOf(Collection<String> appIds) {
    if (appIds.size() > 200) {
      throw new IllegalArgumentException("at most 200 apps at a time");
    }
    if (appIds.isEmpty()) {
      return Map.of();
    }
    return Tx.read(jdbi, h -> h.createQuery("SELECT app_id, merchant_id FROM miniapp_app"
            + " WHERE app_id = ANY(:ids)")
        .bindArray("ids", String.class, List.copyOf(appIds))
        .map((rs, ctx) -> Map.entry(rs.getString("app_id"), Tx.uuid(rs, "merchant_id")))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  static Optional<App> find(Handle h, String appId) {
    return h.createQuery("SELECT * FROM miniapp_app WHERE app_id = :id").bind("id", appId)
        .map(Apps::app).findOne();
  }

  /** The app, or {@link MiniappError#APP_NOT_FOUND}. */
  public App get(String appId) {
    return find(appId).orElseThrow(() -> notFound(appId));
  }

  static MiniappException notFound(String appId) {
    return new MiniappException(MiniappError.APP_NOT_FOUND, "no app " + appId);
  }

  public List<App> byMerchant(UUID merchantId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM miniapp_app WHERE merchant_id = :m"
            + " ORDER BY created_at, app_id LIMIT " + LIST_MAX)
        .bind("m", Tx.uuid(merchantId)).map(Apps::app).list());
  }

  /** Changes what users see; an online app is re-indexed at once. */
  public App updateProfile(String appId, AppProfile profile) {
    AppProfile valid = validProfile(profile);
    Instant now = clock.instant();
    int n = Tx.run(jdbi, h -> h.createUpdate("UPDATE miniapp_app SET name = :name, description"
            + " = :desc, category = :cat, keywords = CAST(:kw AS jsonb), city = :city, icon_path"
            + " = :icon, updated_at = :at WHERE app_id = :id")
        .bind("name", valid.name()).bind("desc", valid.description())
        .bind("cat", valid.category()).bind("kw", Json.write(valid.keywords()))
        .bind("city", valid.city()).bind("icon", valid.iconPath()).bind("at", Tx.at(now))
        .bind("id", appId).execute());
    if (n == 0) {
      throw notFound(appId);
    }
    App app = get(appId);
    if (app.status() == AppStatus.ONLINE) {
      events.online(appId);
    }
    return app;
  }

  static AppProfile validProfile(AppProfile p) {
    if (p == null) {
      throw invalid("profile is required (name, description, category, keywords, city, icon)");
    }
    String name = text(p.name(), "name", 1, NAME_CHARS_MAX);
    String description = text(p.description() == null ? "" : p.description(), "description", 0,
        DESCRIPTION_CHARS_MAX);
    String category = p.category() == null || p.category().isBlank() ? "general" : p.category();
    if (!Categories.isKnown(category)) {
      throw invalid("unknown category \"" + category + "\"; use one of "
          + Categories.slugs());
    }
    List<String> keywords = new ArrayList<>();
    for (String k : p.keywords() == null ? List.<String>of() : p.keywords()) {
      String kw = text(k, "keyword", 1, KEYWORD_CHARS_MAX);
      if (!keywords.contains(kw)) {
        keywords.add(kw);
      }
    }
    if (keywords.size() > KEYWORDS_MAX) {
      throw invalid("at most " + KEYWORDS_MAX + " keywords, got " + keywords.size());
    }
    String city = text(p.city() == null ? "" : p.city(), "city", 0, CITY_CHARS_MAX);
    String icon = p.iconPath() == null || p.iconPath().isBlank() ? null
        : text(p.iconPath(), "iconPath", 1, ICON_CHARS_MAX);
    return new AppProfile(name, description, category, List.copyOf(keywords), city, icon);
  }

  static String text(String value, String field, int min, int max) {
    if (value == null) {
      throw invalid(field + " is required");
    }
    String v = value.strip();
    if (v.length() < min || v.length() > max) {
      throw invalid(field + " must be " + min + "-" + max + " characters, got " + v.length());
    }
    if (v.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
      throw invalid(field + " contains control characters");
    }
    return v;
  }

  static MiniappException invalid(String message) {
    return new MiniappException(MiniappError.INVALID_ARGUMENT, message);
  }

  private String generateId() {
    StringBuilder s = new StringBuilder("20");
    for (int i = 0; i < 14; i++) {
      s.append(random.nextInt(10));
    }
    return s.toString();
  }

  static App app(ResultSet rs, StatementContext ctx) throws SQLException {
    List<String> keywords;
    try {
      keywords = Json.MAPPER.readValue(rs.getString("keywords"), new TypeReference<>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SQLException("bad keywords JSON in miniapp_app", e);
    }
    return new App(rs.getString("app_id"), Tx.uuid(rs, "merchant_id"),
        AppKind.valueOf(rs.getString("kind")),
        new AppProfile(rs.getString("name"), rs.getString("description"),
            rs.getString("category"), keywords, rs.getString("city"), rs.getString("icon_path")),
        rs.getString("template_app_id"), AppStatus.valueOf(rs.getString("status")),
        Tx.instant(rs, "created_at"), Tx.instant(rs, "updated_at"));
  }
}
