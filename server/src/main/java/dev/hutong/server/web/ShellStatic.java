package dev.hutong.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The shell's static files: {@code /} is {@code web/shell/index.html}, {@code /shell/<file>} the
 * ES modules, CSS and icons next to it on the classpath. Only flat names of known types are
 * served (no directories, no dot-dot), each with the shell's Content-Security-Policy.
 */
public final class ShellStatic implements Routes {
  static final String RESOURCE_DIR = "web/shell/";
  private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(js|css|svg|html|png)");
  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "html", "text/html; charset=utf-8", "png", "image/png");

  /**
   * Scripts, styles and fetches only from this server; images also as data: URLs (the payment
   * code SVGs) and from the mini-programs' origins (the icons of an app's tabBar, files of its
   * package); mini-programs framed from their own origins ({@code frameSrc}); the shell itself
   * never framed by anyone.
   */
  private final String contentSecurityPolicy;
  /** Only files that exist are cached, so requests for made-up names cannot grow it. */
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** @param frameSrc the CSP source of mini-program origins, e.g. {@code http://*.apps.localhost:*} */
  public ShellStatic(String frameSrc) {
    this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self';"
        + " img-src 'self' data: blob: " + frameSrc + "; connect-src 'self';"
        + " media-src 'self' blob:;"
        + " frame-src " + frameSrc + "; frame-ancestors 'none'; base-uri 'none';"
        + " form-action 'self'; object-src 'none'";
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing.get("/", (req, res) -> serve("index.html", res))
        .get("/shell/{file}", (req, res) -> serve(req.path().pathParameters().get("file"), res))
        // The mini-program runtime's modules (web/shell/runtime/).
        .get("/shell/runtime/{file}", (req, res) -> serve("runtime/"
            + req.path().pathParameters().get("file"), res));
  }

  private void serve(String file, ServerResponse response) {
    String name = file.startsWith("runtime/") ? file.substring("runtime/".length()) : file;
    Optional<byte[]> bytes = FILE.matcher(name).matches()
        ? Optional.ofNullable(cache.get(file)).or(() -> load(file)) : Optional.empty();
    bytes.ifPresent(b -> cache.putIfAbsent(file, b));
    if (bytes.isEmpty()) {
      response.status(Status.NOT_FOUND_404);
      response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.send("no such file");
      return;
    }
    String ext = file.substring(file.lastIndexOf('.') + 1);
    response.header(HeaderNames.CONTENT_TYPE, TYPES.get(ext));
    response.header(HeaderNames.create("Content-Security-Policy"), contentSecurityPolicy);
    response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    // Small files, changed with every release: the browser revalidates instead of guessing.
    response.header(HeaderNames.CACHE_CONTROL, "no-cache");
    response.send(bytes.get());
  }

  private static Optional<byte[]> load(String file) {
    try (InputStream in = ShellStatic.class.getClassLoader()
        .getResourceAsStream(RESOURCE_DIR + file)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE_DIR + file, e);
    }
  }
}
