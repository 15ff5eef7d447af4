package dev.hutong.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shell's and the consoles' static files over real HTTP: the bytes on the classpath, the
 * content types, the security and caching headers, and what is refused (other types, folders,
 * dot-dot in every spelling).
 */
class StaticFilesTest {
  static final String FRAMES = "http://*.apps.localhost:*";
  static WebServer server;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    HttpRouting.Builder routing = HttpRouting.builder();
    StaticFiles.shell(FRAMES).register(routing);
    StaticFiles.console("/merchant", "merchant").register(routing);
    StaticFiles.console("/ops", "ops").register(routing);
    server = WebServer.builder().host("127.0.0.1").port(0).routing(routing).build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void shellIndexAndFilesAreTheClasspathBytesWithTheirTypes() throws Exception {
    assertServed("/", "web/shell/index.html", "text/html; charset=utf-8");
    assertServed("/shell/main.js", "web/shell/main.js", "text/javascript; charset=utf-8");
    assertServed("/shell/app.css", "web/shell/app.css", "text/css; charset=utf-8");
    assertServed("/shell/runtime/runtime.js", "web/shell/runtime/runtime.js",
        "text/javascript; charset=utf-8");
  }

  @Test
  void consolesServeTheirOwnFolders() throws Exception {
    assertServed("/merchant", "web/merchant/index.html", "text/html; charset=utf-8");
    assertServed("/merchant/", "web/merchant/index.html", "text/html; charset=utf-8");
    assertServed("/merchant/portal.css", "web/merchant/portal.css", "text/css; charset=utf-8");
    assertServed("/ops", "web/ops/index.html", "text/html; charset=utf-8");
    assertServed("/ops/console.js", "web/ops/console.js", "text/javascript; charset=utf-8");
    assertServed("/merchant/common/base.css", "web/console/base.css", "text/css; charset=utf-8");
    assertServed("/ops/common/base.css", "web/console/base.css", "text/css; charset=utf-8");
    // Each console sees only its own folder.
    assertThat(get("/ops/portal.css").statusCode()).isEqualTo(404);
    assertThat(get("/merchant/main.js").statusCode()).isEqualTo(404);
  }

  @Test
  void headersForbidFramingSniffingReferrersAndStaleCopies() throws Exception {
    HttpResponse<byte[]> shell = get("/shell/main.js");
    assertThat(shell.headers().firstValue("Content-Security-Policy")).hasValue(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: "
            + FRAMES + "; connect-src 'self'; media-src 'self' blob:; frame-src " + FRAMES + ";"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'");
    HttpResponse<byte[]> console = get("/merchant/");
    assertThat(console.headers().firstValue("Content-Security-Policy")).hasValue(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " connect-src 'self'; media-src 'self' data: blob:; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'self'; object-src 'none'");
    for (HttpResponse<byte[]> r : new HttpResponse[] {shell, console}) {
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/shell/missing.js", "/shell/index.txt", "/shell/Main.js",
      "/shell/.hidden.js", "/shell/runtime", "/shell/runtime/", "/shell/%2e%2e%2fpom.xml",
      "/shell/..%2Fshell%2Fmain.js", "/shell/runtime/..%2fmain.js", "/shell/runtime/%2e%2e",
      "/merchant/..%2f..%2fshell%2fmain.js", "/merchant/x.wav", "/ops/%2e%2e%2fmerchant%2fportal.js",
      "/shell/a.wav", "/merchant/a.png"})
  void refusesAnythingButAFlatKnownName(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).isEmpty();
  }

  private static void assertServed(String path, String resource, String type) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue(type);
    assertThat(r.body()).as(path).isEqualTo(resource(resource));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = StaticFilesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
