package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.server.browser.ServerFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mini-programs from templates through the portal's API on a real server: the offered templates
 * with their schemas, a create refused with JsonSchemas' violations, a trial preview the owner
 * opens in the shell, review with a rejection reason, the fix, approval, online and found by
 * search; and every endpoint tried as a cashier, as another merchant, without a session and
 * without the CSRF token.
 */
@Tag("db")
class MerchantMiniappApiTest {
  static ServerFixture server;
  static String template;
  static final AtomicInteger phones = new AtomicInteger(47_000_000);

  @BeforeAll
  static void start() {
    server = ServerFixture.start("merchantminiapps");
    template = server.template("restaurant");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String phone() {
    return "136" + phones.incrementAndGet();
  }

  static ShellClient merchant(String name, String phone) throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    ShellClient.Reply r = c.post("/merchant/api/onboard", "business_name", name, "category",
        "food", "city", "Chengdu", "phone", phone, "password", "noodles-2026", "bank_holder",
        "Li Wei", "bank_account_no", "6222021001019876");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
    return c;
  }

  static ShellClient operator() throws Exception {
    ShellClient c = new ShellClient(server.baseUrl());
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    assertThat(c.post("/ops/api/login", "token", token).status()).isEqualTo(200);
    return c;
  }

  static Map<String, Object> ext(String name) {
    return Map.of("name", name, "colour", "#aa3300", "opens", "11:00", "closes", "21:30",
        "tables", List.of(Map.of("label", "T1", "seats", 4), Map.of("label", "T2", "seats", 2)));
  }

  static Map<String, Object> create(Map<String, Object> ext) {
    return Map.of("template_app_id", template, "template_version", "1.0.0",
        "description", "Hand-pulled noodles, book a table", "ext", ext);
  }

  @Test
  void aMerchantMakesAMiniProgramFromATemplateAndItGoesThroughReviewToSearch() throws Exception {
    String phone = phone();
    ShellClient m = merchant("Lanzhou Noodles", phone);
    JsonNode offered = m.get("/merchant/api/templates").json().path("templates");
    assertThat(offered.findValuesAsText("app_id")).contains(template);
    assertThat(offered.get(0).path("schema").path("required").toString()).contains("tables");

    // an invalid ext: every violation from the schema, and nothing is created
    ShellClient.Reply bad = m.postJson("/merchant/api/miniapps", "create-bad-0001",
        create(Map.of("name", "", "colour", "red", "opens", "11:00", "closes", "21:30",
            "tables", List.of())));
    assertThat(bad.status()).as(bad.json().toString()).isEqualTo(422);
    assertThat(bad.json().path("violations").toString()).contains("colour").contains("name")
        .contains("tables");
    assertThat(m.get("/merchant/api/miniapps").json().path("miniapps")).isEmpty();

    ShellClient.Reply made = m.postJson("/merchant/api/miniapps", "create-0001",
        create(ext("NOODLES!!! CHEAPEST IN TOWN")));
    assertThat(made.status()).as(made.json().toString()).isEqualTo(201);
    String appId = made.json().path("app_id").asText();
    assertThat(made.json().path("state").asText()).isEqualTo("DEVELOP");
    ShellClient.Reply again = m.postJson("/merchant/api/miniapps", "create-0001",
        create(ext("NOODLES!!! CHEAPEST IN TOWN")));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("app_id").asText()).isEqualTo(appId);
    assertThat(m.get("/merchant/api/miniapps").json().path("miniapps")).hasSize(1);

    // preview: refused until the owner has a Hutong user, then a trial only that user gets
    assertThat(m.post("/merchant/api/miniapps/" + appId + "/preview").error())
        .isEqualTo("no_user_for_preview");
    ShellClient user = new ShellClient(server.baseUrl());
    assertThat(user.post("/api/signup", "phone", phone, "password", "secret-pw", "pin", "123456")
        .status()).isEqualTo(201);
    ShellClient.Reply preview = m.post("/merchant/api/miniapps/" + appId + "/preview");
    assertThat(preview.status()).as(preview.json().toString()).isEqualTo(200);
    assertThat(preview.json().path("link").asText()).endsWith("/launch/" + appId);
    assertThat(preview.json().path("qr_svg").asText()).startsWith("<svg");
    ShellClient.Reply launched = user.post("/api/apps/" + appId + "/launch");
    assertThat(launched.json().path("env_version").asText()).as(launched.json().toString())
        .isEqualTo("trial");
    assertThat(launched.json().path("ext").path("name").asText())
        .isEqualTo("NOODLES!!! CHEAPEST IN TOWN");

    assertThat(m.post("/merchant/api/miniapps/" + appId + "/submit").json().path("state")
        .asText()).isEqualTo("AUDITING");
    assertThat(m.post("/merchant/api/miniapps/" + appId + "/submit").status()).isEqualTo(200);

    ShellClient ops = operator();
    JsonNode item = pending(ops, appId);
    assertThat(item.path("template_app_id").asText()).isEqualTo(template);
    assertThat(item.path("ext_changes").findValuesAsText("field")).contains("name", "tables");
    assertThat(ops.post("/ops/api/review/" + appId + "/1.0.0/reject", "reason",
        "no shouting in the name", "file", "ext.name").status()).isEqualTo(200);

    JsonNode rejected = m.get("/merchant/api/miniapps/" + appId).json();
    assertThat(rejected.path("state").asText()).isEqualTo("REJECTED");
    assertThat(rejected.path("versions").get(0).path("reasons").findValuesAsText("reason"))
        .containsExactly("no shouting in the name");
    assertThat(rejected.path("schema").path("properties").has("tables")).isTrue();

    Map<String, Object> invalidFix = new java.util.HashMap<>(ext("Lanzhou Noodles"));
    invalidFix.put("opens", "25:00");
    ShellClient.Reply refused = m.postJson("/merchant/api/miniapps/" + appId + "/ext", null,
        Map.of("ext", invalidFix));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().path("violations").toString()).contains("opens");
    ShellClient.Reply fixed = m.postJson("/merchant/api/miniapps/" + appId + "/ext", null,
        Map.of("ext", ext("Lanzhou Noodles")));
    assertThat(fixed.status()).as(fixed.json().toString()).isEqualTo(201);
    assertThat(fixed.json().path("version").asText()).isEqualTo("1.0.1");
    assertThat(m.postJson("/merchant/api/miniapps/" + appId + "/ext", null,
        Map.of("ext", ext("Lanzhou Noodles"))).json().path("version").asText())
        .isEqualTo("1.0.1");
    m.post("/merchant/api/miniapps/" + appId + "/submit");
    assertThat(pending(ops, appId).path("ext_changes").findValuesAsText("field"))
        .containsExactly("name");
    ShellClient.Reply approved = ops.post("/ops/api/review/" + appId + "/1.0.1/approve");
    assertThat(approved.json().path("state").asText()).as(approved.json().toString())
        .isEqualTo("ONLINE");

    JsonNode online = m.get("/merchant/api/miniapps/" + appId).json();
    assertThat(online.path("name").asText()).isEqualTo("Lanzhou Noodles");
    assertThat(online.path("status").asText()).isEqualTo("ONLINE");
    assertThat(searchIds(user, "Lanzhou")).contains(appId);
  }

  @Test
  void onlyTheOwningMerchantsOwnerTouchesItsMiniPrograms() throws Exception {
    ShellClient a = merchant("Owner A", phone());
    ShellClient b = merchant("Owner B", phone());
    String appId = a.postJson("/merchant/api/miniapps", "create-a-0001", create(ext("A Noodles")))
        .json().path("app_id").asText();
    String base = "/merchant/api/miniapps/" + appId;

    // another merchant: as if the app did not exist, and its list stays empty
    assertThat(b.get(base).status()).isEqualTo(404);
    assertThat(b.post(base + "/submit").status()).isEqualTo(404);
    assertThat(b.post(base + "/preview").status()).isEqualTo(404);
    assertThat(b.postJson(base + "/ext", null, Map.of("ext", ext("Taken"))).status())
        .isEqualTo(404);
    assertThat(b.get("/merchant/api/miniapps").json().path("miniapps")).isEmpty();
    // the same Idempotency-Key from another merchant makes that merchant's own app
    assertThat(b.postJson("/merchant/api/miniapps", "create-a-0001", create(ext("B Noodles")))
        .json().path("app_id").asText()).isNotEqualTo(appId);
    // a template app id is not one of the merchant's mini-programs
    assertThat(a.get("/merchant/api/miniapps/" + template).status()).isEqualTo(404);

    // a cashier of the owning merchant
    String cashierPhone = phone();
    assertThat(a.post("/merchant/api/staff", "phone", cashierPhone, "password", "cashier-pw")
        .status()).isEqualTo(201);
    ShellClient cashier = new ShellClient(server.baseUrl());
    assertThat(cashier.post("/merchant/api/login", "phone", cashierPhone, "password",
        "cashier-pw").status()).isEqualTo(200);
    assertThat(cashier.get("/merchant/api/templates").status()).isEqualTo(403);
    assertThat(cashier.get(base).status()).isEqualTo(403);
    assertThat(cashier.post(base + "/submit").status()).isEqualTo(403);
    assertThat(cashier.postJson("/merchant/api/miniapps", "create-c-0001",
        create(ext("C"))).status()).isEqualTo(403);

    // no session, a user's session, an operator's session
    ShellClient nobody = new ShellClient(server.baseUrl());
    assertThat(nobody.get("/merchant/api/templates").status()).isEqualTo(401);
    assertThat(nobody.post(base + "/submit").status()).isEqualTo(401);
    assertThat(operator().get(base).status()).isEqualTo(401);

    // CSRF: the owner's own session without the token, or from another origin
    String token = a.csrfToken;
    a.csrfToken = null;
    assertThat(a.post(base + "/submit").status()).isEqualTo(403);
    a.csrfToken = token;
    a.origin = "http://evil.example";
    assertThat(a.postJson(base + "/ext", null, Map.of("ext", ext("Evil"))).status())
        .isEqualTo(403);
    a.origin = server.baseUrl();
    assertThat(a.get(base).json().path("state").asText()).isEqualTo("DEVELOP");
    assertThat(a.get(base).json().path("versions")).hasSize(1);

    // input checks
    assertThat(a.postJson("/merchant/api/miniapps", null, create(ext("No key"))).error())
        .isEqualTo("idempotency_key");
    assertThat(a.postJson("/merchant/api/miniapps", "create-a-0002", Map.of("template_app_id",
        "tpl-nothing", "template_version", "1.0.0", "description", "x", "ext", ext("X")))
        .status()).isEqualTo(404);
  }

  static JsonNode pending(ShellClient ops, String appId) throws Exception {
    for (JsonNode item : ops.get("/ops/api/review").json().path("pending")) {
      if (item.path("app_id").asText().equals(appId)) {
        return item;
      }
    }
    throw new AssertionError(appId + " is not in the review queue");
  }

  static List<String> searchIds(ShellClient c, String q) throws Exception {
    List<String> ids = List.of();
    for (int i = 0; i < 50 && ids.isEmpty(); i++) {
      ids = c.get("/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).json()
          .path("results").findValuesAsText("app_id");
      if (ids.isEmpty()) {
        Thread.sleep(100);
      }
    }
    return ids;
  }
}
