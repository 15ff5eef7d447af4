package dev.hutong.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The static files of a browser page set (the shell, the merchant portal, the operations
 * console) from {@code web/<name>/} on the classpath. Only flat names of the site's known types
 * are served (no directories, no dot-dot: a folder is a route of its own), each with the site's
 * Content-Security-Policy, never sniffed, never referred, revalidated on every use.
 */
public final class StaticFiles implements Routes {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.([a-z0-9]{1,8})");
  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml", "html", "text/html; charset=utf-8", "png", "image/png",
      "wav", "audio/wav");

  private static final String RESOURCE_DIR = "web/";

  /** The folder under {@code web/} that holds the page set's {@code index.html}. */
  private final String home;
  private final List<String> indexPaths;
  /** URL folder (no trailing slash) to the resource folder under {@code web/}. */
  private final Map<String, String> folders;
  private final Set<String> extensions;
  private final String contentSecurityPolicy;
  /** Only files that exist are cached, so requests for made-up names cannot grow it. */
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  private StaticFiles(String name, List<String> indexPaths, Map<String, String> folders,
      Set<String> extensions, String contentSecurityPolicy) {
    this.home = name + "/";
    this.indexPaths = indexPaths;
    this.folders = folders;
    this.extensions = extensions;
    this.contentSecurityPolicy = contentSecurityPolicy;
  }

  /**
   * The shell: {@code /} is {@code web/shell/index.html}, {@code /shell/<file>} the ES modules,
   * CSS and icons next to it, {@code /shell/runtime/<file>} the mini-program runtime's modules.
   * Mini-programs are framed from their own origins.
   *
   * @param frameSrc the CSP source of mini-program origins, e.g. {@code http://*.apps.localhost:*}
   */
  public static StaticFiles shell(String frameSrc) {
    Map<String, String> folders = new LinkedHashMap<>();
    folders.put("/shell", "shell/");
    folders.put("/shell/runtime", "shell/runtime/");
    return new StaticFiles("shell", List.of("/"), folders, Set.of("js", "css", "svg", "html", "png"),
        policy(" " + frameSrc, "'self' blob:", " frame-src " + frameSrc + ";"));
  }

  /**
   * A console: {@code <prefix>} is {@code web/<name>/index.html}, {@code <prefix>/<file>} the
   * ES modules and CSS next to it, and {@code <prefix>/common/<file>} what both consoles share
   * ({@code web/console/}: the base style sheet); it frames nothing.
   *
   * @param prefix e.g. {@code /merchant}; @param name the directory under {@code web/}
   */
  public static StaticFiles console(String prefix, String name) {
    return console(prefix, name, "");
  }

  /**
   * A console that frames mini-programs (the ops console's review preview): the same policy plus
   * {@code frame-src} for the apps' own origins, as the shell has it.
   */
  public static StaticFiles console(String prefix, String name, String frameSrc) {
    return new StaticFiles(name, List.of(prefix, prefix + "/"),
        Map.of(prefix, name + "/", prefix + "/common", "console/"),
        Set.of("js", "css", "svg", "html", "wav"), policy("", "'self' data: blob:",
            frameSrc.isEmpty() ? "" : " frame-src " + frameSrc + ";"));
  }

  /**
   * Scripts, styles and fetches only from this server; images also as data: URLs (the payment
   * code SVGs) and, for the shell, from the mini-programs' origins ({@code imgExtra}: the icons of
   * an app's tabBar are files of its package); the page itself never framed by anyone.
   */
  private static String policy(String imgExtra, String mediaSrc, String frameSrc) {
    return "default-src 'self'; script-src 'self'; style-src 'self';"
        + " img-src 'self' data: blob:" + imgExtra + "; connect-src 'self'; media-src " + mediaSrc
        + ";"
        + frameSrc + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    for (String path : indexPaths) {
      routing.get(path, (req, res) -> serve(home, "index.html", res));
    }
    folders.forEach((path, folder) -> routing.get(path + "/{file}",
        (req, res) -> serve(folder, req.path().pathParameters().get("file"), res)));
  }

  private void serve(String folder, String name, ServerResponse response) {
    var matcher = NAME.matcher(name);
    String file = folder + name;
    Optional<byte[]> bytes = matcher.matches() && extensions.contains(matcher.group(1))
        ? Optional.ofNullable(cache.get(file)).or(() -> load(file)) : Optional.empty();
    bytes.ifPresent(b -> cache.putIfAbsent(file, b));
    if (bytes.isEmpty()) {
      response.status(Status.NOT_FOUND_404);
      response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.send("no such file");
      return;
    }
    response.header(HeaderNames.CONTENT_TYPE, TYPES.get(matcher.group(1)));
    response.header(HeaderNames.create("Content-Security-Policy"), contentSecurityPolicy);
    response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    // Small files, changed with every release: the browser revalidates instead of guessing.
    response.header(HeaderNames.CACHE_CONTROL, "no-cache");
    response.send(bytes.get());
  }

  private Optional<byte[]> load(String file) {
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + file)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE_DIR + file, e);
    }
  }
}
