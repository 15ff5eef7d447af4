package dev.hutong.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.booking.Venue;
import dev.hutong.booking.VenueKind;
import dev.hutong.booking.Venues;
import dev.hutong.identity.FeeRate;
import dev.hutong.identity.IdentityError;
import dev.hutong.identity.IdentityException;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.MerchantStaff;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.NewMerchant;
import dev.hutong.identity.NewUser;
import dev.hutong.identity.SimulatedBankChannel;
import dev.hutong.identity.TopUp;
import dev.hutong.identity.User;
import dev.hutong.identity.Users;
import dev.hutong.miniapp.AppKind;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.AuditSubmission;
import dev.hutong.miniapp.NewApp;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.Templates;
import dev.hutong.miniapp.Versions;
import dev.hutong.openapi.AppRegistry;
import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.SignType;
import dev.hutong.pay.Amounts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo a fresh `hutong start` shows (DESIGN §7): the three booking templates as platform
 * templates; a cinema, a restaurant and an estate agency, each with an online instance built from
 * its template and ext (no code); a week of showtimes, table slots, viewing slots and listings;
 * two users with wallets. Runs once per data directory: the file {@value #MARKER} records that it
 * ran and what it made, and the login details are printed at every start.
 */
final class DemoSeed {
  static final String MARKER = "demo-seed.json";
  static final String PASSWORD = "demo-pass";
  static final String PIN = "123456";
  static final String OPERATOR = "demo-seed";
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SemVer V1 = new SemVer(1, 0, 0);
  /** Templates in the order of their merchants' portal logins 13900000001, ...02, ...03. */
  static final List<String> PORTAL_LOGINS = List.of("cinema", "restaurant", "property");

  record Parts(Users users, Merchants merchants, SimulatedBankChannel bank, AppRegistry openApps,
      dev.hutong.miniapp.Apps apps, Versions versions, Templates templates, Venues venues,
      Clock clock, MerchantStaff staff) {}

  private final Parts p;
  private final Path dataDirectory;
  private final List<String> apiOrigins;

  /** @param apiOrigins where the apps reach the booking API (their CSP connect-src) */
  DemoSeed(Parts parts, Path dataDirectory, List<String> apiOrigins) {
    this.p = parts;
    this.dataDirectory = dataDirectory;
    this.apiOrigins = List.copyOf(apiOrigins);
  }

  /** Seeds once; returns the lines to print (who can log in, which apps exist). */
  List<String> seedOnce() {
    Path marker = dataDirectory.resolve(MARKER);
    try {
      if (!Files.exists(marker)) {
        Map<String, Object> made = seed();
        Files.writeString(marker, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(made),
            StandardCharsets.UTF_8);
      }
      return banner(JSON.readTree(Files.readString(marker, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not record the demo seed in " + marker, e);
    }
  }

  private List<String> banner(JsonNode made) {
    List<String> lines = new ArrayList<>();
    lines.add("Demo (seeded once; " + dataDirectory.resolve(MARKER) + "):");
    made.path("users").forEach(u -> lines.add("  user " + u.path("phone").asText() + " / password "
        + PASSWORD + " / PIN " + PIN + " (wallet " + u.path("balance").asText() + ")"));
    made.path("apps").forEach(a -> lines.add("  app " + a.path("app_id").asText() + ": "
        + a.path("name").asText() + " (" + a.path("template").asText() + ")"
        + (a.has("login") ? "; merchant portal /merchant: " + a.path("login").asText()
            + " / password " + PASSWORD : "")));
    return lines;
  }

  private Map<String, Object> seed() throws IOException {
    UUID platform = p.merchants().create(new NewMerchant("Hutong Templates", "platform",
        FeeRate.ZERO)).id();
    for (String name : dev.hutong.server.TemplatePackages.NAMES) {
      template(platform, name);
    }
    List<Map<String, Object>> apps = new ArrayList<>();
    apps.add(cinema());
    apps.add(restaurant());
    apps.add(agency());
    List<Map<String, Object>> users = new ArrayList<>();
    users.add(user("13800000001", "Mei", 2000_00));
    users.add(user("13800000002", "Jun", 500_00));
    return Map.of("users", users, "apps", apps, "seeded_at", p.clock().instant().toString());
  }

  /** The template app "tpl-NAME", version 1.0.0 approved, so merchants can instantiate it. */
  private void template(UUID platform, String name) {
    String appId = "tpl-" + name;
    String title = Character.toUpperCase(name.charAt(0)) + name.substring(1) + " template";
    p.apps().create(new NewApp(appId, platform, AppKind.TEMPLATE, new AppProfile(title,
        "Booking template: " + name, "services", List.of(name, "booking"), "Everywhere", null)));
    p.versions().upload(appId, V1, new ByteArrayInputStream(TemplatePackages.zip(name,
        apiOrigins)), OPERATOR);
    p.versions().submitAudit(appId, V1, new AuditSubmission("The seed's " + name + " template",
        "services", List.of()), OPERATOR);
    p.versions().approve(appId, V1, OPERATOR, "platform template");
  }

  /** A merchant, its Open API app, and an online instance of the template with this ext. */
  private Merchant instance(String merchantName, String category, String template,
      Map<String, Object> ext, List<String> keywords, Map<String, Object> out) {
    Merchant m = p.merchants().create(new NewMerchant(merchantName, category,
        FeeRate.parse("0.006")));
    String appId = p.openApps().register(m.id(), merchantName, KeyPairs.publicKeyBase64(
        KeyPairs.generateRsa2048().getPublic()), null, SignType.RSA2).appId();
    JsonNode extNode = JSON.valueToTree(ext);
    p.templates().instantiate(new NewApp(appId, m.id(), AppKind.INSTANCE, new AppProfile(
        merchantName, (String) ext.getOrDefault("tagline", merchantName), category, keywords,
        "Beijing", null)), "tpl-" + template, V1, V1, extNode, OPERATOR);
    p.versions().release(appId, V1, OPERATOR);
    // The owner's login for the merchant portal (its booking screens): 1390000000N.
    String login = "1390000000" + (PORTAL_LOGINS.indexOf(template) + 1);
    p.staff().addOwner(m.id(), login, PASSWORD);
    out.put("login", login);
    out.put("app_id", appId);
    out.put("name", merchantName);
    out.put("template", template);
    out.put("merchant_id", m.id().toString());
    return m;
  }

  private Map<String, Object> cinema() {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("name", "Red Star Cinema");
    ext.put("colour", "#c0392b");
    ext.put("tagline", "Two screens off Gulou Street");
    ext.put("cancelFreeHours", 24);
    ext.put("cancelFeePercent", 20);
    ext.put("halls", List.of(
        Map.of("name", "Hall 1", "rows", List.of("SSSSS_SSSSSS_SSSSS", "SSSSS_SSSSSS_SSSSS",
            "SSSSS_SSSSSS_SSSSS", "SSSSS_SSSSSS_SSSSS", "VVVVV_VVVVVV_VVVVV",
            "VVVVV_VVVVVV_VVVVV"), "classes", Map.of(
            "S", Map.of("label", "Standard", "price", "45.00"),
            "V", Map.of("label", "VIP", "price", "68.00"))),
        Map.of("name", "Hall 2", "rows", List.of("SSSS_SSSS", "SSSS_SSSS", "SSSS_SSSS",
            "SSSS_SSSS"), "classes", Map.of("S", Map.of("label", "Standard", "price", "38.00")))));
    ext.put("films", List.of(
        Map.of("title", "The Drum Tower", "minutes", 118, "hall", "Hall 1",
            "times", List.of("14:00", "19:30")),
        Map.of("title", "Noodle Street", "minutes", 96, "hall", "Hall 2",
            "times", List.of("16:15", "21:00"))));
    Map<String, Object> out = new LinkedHashMap<>();
    Merchant m = instance("Red Star Cinema", "movies", "cinema", ext,
        List.of("cinema", "film", "tickets", "movie"), out);
    Venue v = p.venues().create(new Venue(null, (String) out.get("app_id"), m.id(),
        VenueKind.CINEMA, "Red Star Cinema", 24, 20, 15, 0, 1, 1, 14, 14));
    Map<String, UUID> halls = new LinkedHashMap<>();
    for (Object h : (List<?>) ext.get("halls")) {
      Map<?, ?> hall = (Map<?, ?>) h;
      Map<String, String> labels = new LinkedHashMap<>();
      ((Map<?, ?>) hall.get("classes")).forEach((k, c) -> labels.put((String) k,
          (String) ((Map<?, ?>) c).get("label")));
      @SuppressWarnings("unchecked")
      List<String> rows = (List<String>) hall.get("rows");
      halls.put((String) hall.get("name"), p.venues().addHall(v, (String) hall.get("name"), rows,
          labels));
    }
    LocalDate today = LocalDate.now(p.clock().withZone(ZONE));
    for (Object f : (List<?>) ext.get("films")) {
      Map<?, ?> film = (Map<?, ?>) f;
      Map<?, ?> hall = ((List<?>) ext.get("halls")).stream().map(h -> (Map<?, ?>) h)
          .filter(h -> h.get("name").equals(film.get("hall"))).findFirst().orElseThrow();
      Map<String, Long> prices = new LinkedHashMap<>();
      ((Map<?, ?>) hall.get("classes")).forEach((k, c) -> prices.put((String) k,
          Amounts.parse("price", (String) ((Map<?, ?>) c).get("price"))));
      for (int d = 0; d < 7; d++) {
        for (Object t : (List<?>) film.get("times")) {
          var starts = today.plusDays(d).atTime(LocalTime.parse((String) t)).atZone(ZONE)
              .toInstant();
          if (starts.isAfter(p.clock().instant())) {
            p.venues().addShowtime(v, halls.get((String) film.get("hall")),
                (String) film.get("title"), (Integer) film.get("minutes"), starts, prices);
          }
        }
      }
    }
    return out;
  }

  private Map<String, Object> restaurant() {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("name", "Lao Wang Noodles");
    ext.put("colour", "#2e7d32");
    ext.put("tagline", "Hand-pulled noodles since 1998");
    ext.put("opens", "11:00");
    ext.put("closes", "21:30");
    ext.put("slotMinutes", 90);
    ext.put("partyMin", 1);
    ext.put("partyMax", 8);
    ext.put("daysAhead", 7);
    ext.put("prepayPerPerson", "20.00");
    ext.put("cancelFreeHours", 4);
    ext.put("cancelFeePercent", 50);
    ext.put("tables", List.of(Map.of("label", "T1", "seats", 2), Map.of("label", "T2", "seats", 2),
        Map.of("label", "T3", "seats", 4), Map.of("label", "T4", "seats", 4),
        Map.of("label", "T5", "seats", 6), Map.of("label", "Round table", "seats", 8)));
    Map<String, Object> out = new LinkedHashMap<>();
    Merchant m = instance("Lao Wang Noodles", "food", "restaurant", ext,
        List.of("noodles", "restaurant", "table", "dinner"), out);
    Venue v = p.venues().create(new Venue(null, (String) out.get("app_id"), m.id(),
        VenueKind.RESTAURANT, "Lao Wang Noodles", 4, 50, 15, 20_00, 1, 8, 7, 14));
    for (Object t : (List<?>) ext.get("tables")) {
      Map<?, ?> table = (Map<?, ?>) t;
      p.venues().addResource(v, (String) table.get("label"), (Integer) table.get("seats"));
    }
    p.venues().openSlots(v, LocalDate.now(p.clock().withZone(ZONE)), 7, LocalTime.of(11, 0),
        LocalTime.of(21, 30), 90, ZONE);
    return out;
  }

  private Map<String, Object> agency() {
    Map<String, Object> ext = new LinkedHashMap<>();
    ext.put("name", "Hutong Homes");
    ext.put("colour", "#1565c0");
    ext.put("tagline", "Courtyard homes in the old town");
    ext.put("agents", List.of(Map.of("name", "Agent Li"), Map.of("name", "Agent Zhao")));
    ext.put("viewingOpens", "10:00");
    ext.put("viewingCloses", "18:00");
    ext.put("viewingMinutes", 60);
    ext.put("depositDays", 14);
    ext.put("districts", List.of("Dongcheng", "Xicheng", "Chaoyang"));
    Map<String, Object> out = new LinkedHashMap<>();
    Merchant m = instance("Hutong Homes", "real_estate", "property", ext,
        List.of("homes", "rent", "flat", "viewing", "estate agent"), out);
    Venue v = p.venues().create(new Venue(null, (String) out.get("app_id"), m.id(),
        VenueKind.PROPERTY, "Hutong Homes", 24, 0, 15, 0, 1, 1, 14, 14));
    p.venues().addResource(v, "Agent Li", 1);
    p.venues().addResource(v, "Agent Zhao", 1);
    p.venues().openSlots(v, LocalDate.now(p.clock().withZone(ZONE)), 7, LocalTime.of(10, 0),
        LocalTime.of(18, 0), 60, ZONE);
    p.venues().addListing(v, new Venues.NewListing("Courtyard flat by the Drum Tower",
        "12 Mao'er Hutong", "Dongcheng", "RENT", 6500_00, 58, 2,
        List.of("courtyard", "metro 5 min", "floor heating"), List.of("img/home-1.svg",
            "img/home-2.svg"), 3000_00));
    p.venues().addListing(v, new Venues.NewListing("Bright studio near Houhai", "3 Yandai Lane",
        "Xicheng", "RENT", 4200_00, 32, 1, List.of("lake view", "furnished"),
        List.of("img/home-2.svg"), 2000_00));
    p.venues().addListing(v, new Venues.NewListing("Family home with garden", "88 Chaoyang Road",
        "Chaoyang", "RENT", 9800_00, 120, 3, List.of("garden", "parking", "school nearby"),
        List.of("img/home-3.svg", "img/home-1.svg"), 5000_00));
    p.venues().addListing(v, new Venues.NewListing("Renovated siheyuan", "5 Nanluogu Lane",
        "Dongcheng", "SALE", 12_800_000_00L, 210, 4, List.of("courtyard", "heritage"),
        List.of("img/home-1.svg"), 0));
    return out;
  }

  private Map<String, Object> user(String phone, String nickname, long balanceFen) {
    User u;
    try {
      u = p.users().create(new NewUser(phone, PASSWORD, PIN, nickname));
    } catch (IdentityException e) {
      if (e.error() != IdentityError.PHONE_TAKEN) {
        throw e;
      }
      u = p.users().verifyLogin(phone, PASSWORD).orElseThrow(() -> e);
    }
    p.bank().topUp(new TopUp(u.id(), balanceFen, "demo-seed", null)).requireSuccess();
    return Map.of("phone", phone, "user_id", u.id().toString(), "balance",
        Amounts.format(balanceFen));
  }
}
