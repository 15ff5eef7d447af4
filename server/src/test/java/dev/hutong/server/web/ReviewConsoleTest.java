package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.server.browser.ServerFixture;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The console's review queue on a real server: a developer (through the admin API, as
 * {@code hutong miniapp} does) submits a version; the operator sees it with its diff, rejects it
 * with a reason, the developer fixes and resubmits, the operator approves; every decision is in
 * the audit log; nobody but an operator session gets in.
 */
@Tag("db")
class ReviewConsoleTest {
  static ServerFixture server;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = ServerFixture.start("reviewconsole");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static byte[] pkg(String marker) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("app.json"));
      zip.write("{\"pages\":[\"pages/index/index\"]}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("pages/index/index.html"));
      zip.write(("<!doctype html><title>Hi</title><p>" + marker).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  static int upload(String appId, String version, byte[] zip) throws Exception {
    String token = Files.readString(server.server().operatorTokenFile()).trim();
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/miniapps/"
            + appId + "/versions/" + version + "/package"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(zip)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void operatorsRejectWithAReasonThenApproveTheFixAndBothAreAudited() throws Exception {
    String merchantId = server.admin("/admin/merchants", "name", "Cinema", "fee_rate", "0.006")
        .path("merchant_id").asText();
    String appId = server.admin("/admin/miniapps", "merchant_id", merchantId, "name",
        "Cinema Tickets").path("app_id").asText();
    assertThat(upload(appId, "1.0.0", pkg("first"))).isIn(200, 201);
    server.admin("/admin/miniapps/" + appId + "/versions/1.0.0/submit", "description", "tickets");

    ShellClient nobody = new ShellClient(server.baseUrl());
    assertThat(nobody.get("/ops/api/review").status()).isEqualTo(401);
    ShellClient ops = new ShellClient(server.baseUrl());
    assertThat(ops.post("/ops/api/login", "token",
        Files.readString(server.server().operatorTokenFile()).trim()).status()).isEqualTo(200);
    ShellClient.Reply pending = ops.get("/ops/api/review");
    assertThat(pending.json().path("pending").findValuesAsText("app_id")).contains(appId);
    assertThat(pending.json().toString()).contains("pages/index/index.html");

    assertThat(ops.post("/ops/api/review/" + appId + "/1.0.0/reject").status()).isEqualTo(400);
    ShellClient.Reply rejected = ops.post("/ops/api/review/" + appId + "/1.0.0/reject",
        "reason", "the ticket prices are missing", "file", "pages/index/index.html");
    assertThat(rejected.json().path("state").asText()).isEqualTo("REJECTED");
    assertThat(ops.post("/ops/api/review/" + appId + "/1.0.0/approve").status()).isEqualTo(409);

    server.admin("/admin/miniapps/" + appId + "/versions/1.0.0/develop");
    assertThat(upload(appId, "1.0.0", pkg("with prices"))).isIn(200, 201);
    server.admin("/admin/miniapps/" + appId + "/versions/1.0.0/submit", "description", "fixed");
    ShellClient.Reply approved = ops.post("/ops/api/review/" + appId + "/1.0.0/approve", "note",
        "ok now");
    assertThat(approved.json().path("state").asText()).as(approved.json().toString())
        .isEqualTo("APPROVED");

    List<String> actions = ops.get("/ops/api/audit").json().path("entries")
        .findValuesAsText("action");
    assertThat(actions).contains("review.reject", "review.approve");
    assertThat(ops.get("/ops/api/audit").json().toString())
        .contains("the ticket prices are missing");
  }
}
