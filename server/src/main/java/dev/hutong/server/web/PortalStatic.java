package dev.hutong.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The static files of a browser console: {@code <prefix>} is {@code web/<name>/index.html} and
 * {@code <prefix>/<file>} the ES modules and CSS next to it. Only flat names of known types, with
 * a strict Content-Security-Policy (nothing but this server; never framed).
 */
public final class PortalStatic implements Routes {
  private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(js|css|svg|html|wav)");
  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "html", "text/html; charset=utf-8", "wav", "audio/wav");
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data: blob:; connect-src 'self'; media-src 'self' data: blob:;"
      + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

  private final String csp;

  private final String prefix;
  private final String resourceDir;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** @param prefix e.g. {@code /merchant}; @param name the directory under {@code web/} */
  public PortalStatic(String prefix, String name) {
    this.prefix = prefix;
    this.resourceDir = "web/" + name + "/";
    this.csp = CSP;
  }

  /**
   * A console that frames mini-programs (the review preview): the same policy, plus
   * {@code frame-src} for the apps' own origins ({@code frameSrc}, as the shell has it).
   */
  public PortalStatic(String prefix, String name, String frameSrc) {
    this.prefix = prefix;
    this.resourceDir = "web/" + name + "/";
    this.csp = CSP + "; frame-src " + frameSrc;
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing.get(prefix, (req, res) -> serve("index.html", res))
        .get(prefix + "/", (req, res) -> serve("index.html", res))
        .get(prefix + "/{file}", (req, res) -> serve(req.path().pathParameters().get("file"), res));
  }

  private void serve(String file, ServerResponse response) {
    Optional<byte[]> bytes = FILE.matcher(file).matches()
        ? Optional.ofNullable(cache.get(file)).or(() -> load(file)) : Optional.empty();
    bytes.ifPresent(b -> cache.putIfAbsent(file, b));
    if (bytes.isEmpty()) {
      response.status(Status.NOT_FOUND_404);
      response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.send("no such file");
      return;
    }
    response.header(HeaderNames.CONTENT_TYPE, TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
    response.header(HeaderNames.create("Content-Security-Policy"), csp);
    response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    response.header(HeaderNames.CACHE_CONTROL, "no-cache");
    response.send(bytes.get());
  }

  private Optional<byte[]> load(String file) {
    try (InputStream in = PortalStatic.class.getClassLoader().getResourceAsStream(resourceDir + file)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resourceDir + file, e);
    }
  }
}
