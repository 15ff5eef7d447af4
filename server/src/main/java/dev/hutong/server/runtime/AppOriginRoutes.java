package dev.hutong.server.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.miniapp.PackageFile;
import dev.hutong.miniapp.SemVer;
import dev.hutong.miniapp.VersionState;
import dev.hutong.miniapp.Versions;
import dev.hutong.miniapp.runtime.LaunchTickets;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves mini-programs from their own origins ({@link AppHosts}): every request whose Host is
 * {@code <appId>.<appsDomain>} ends here, anything else goes on to the shell's routes.
 *
 * <p>Paths: {@code /~<ticket>/<file>} serves {@code <file>} of the version the launch ticket
 * names (the ticket must be for this host's app; a page needs an unexpired ticket, its scripts,
 * styles and images accept one up to {@link LaunchTickets#ASSET_GRACE} old, so an open app keeps
 * working). Relative URLs in a page resolve under the same ticket. {@code /__hutong/my.js} is the
 * bridge script, which the server also injects into every HTML page.
 *
 * <p>Every answer carries the app's {@code Content-Security-Policy} ({@code connect-src} its
 * approved domains only, {@code frame-ancestors} the shell, {@code sandbox allow-scripts
 * allow-forms}), {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer}
 * (so the ticket in the path never reaches the app's servers in a Referer).
 */
public final class AppOriginRoutes {
  public static final String BRIDGE_PATH = "/__hutong/my.js";
  private static final String BRIDGE_RESOURCE = "web/app/my.js";
  private static final Pattern FILE_PATH = Pattern.compile("[A-Za-z0-9_\\-./]{1,255}");
  private static final int CSP_CACHE_MAX = 10_000;

  private final AppHosts hosts;
  private final LaunchTickets tickets;
  private final Versions versions;
  private final byte[] bridgeScript;
  /** CSP by app and version: a version's app.json never changes once uploaded for users. */
  private final Map<String, String> cspCache = new ConcurrentHashMap<>();

  public AppOriginRoutes(AppHosts hosts, LaunchTickets tickets, Versions versions) {
    this.hosts = hosts;
    this.tickets = tickets;
    this.versions = versions;
    this.bridgeScript = loadBridge(hosts.shellOrigins());
  }

  public AppHosts hosts() {
    return hosts;
  }

  /** The tickets this origin accepts (the review console issues previews with them). */
  public LaunchTickets tickets() {
    return tickets;
  }

  /** The handler to register first: serves app hosts, passes every other request on. */
  public void handle(ServerRequest request, ServerResponse response) {
    Optional<String> appId = hosts.appIdOf(request.authority());
    if (appId.isEmpty()) {
      response.next();
      return;
    }
    Method method = request.prologue().method();
    if (!method.equals(Method.GET) && !method.equals(Method.HEAD)) {
      refuse(response, Status.METHOD_NOT_ALLOWED_405, baseCsp(List.of()),
          "an app's origin serves only GET and HEAD");
      return;
    }
    String path = request.path().rawPath();
    if (path.equals(BRIDGE_PATH)) {
      sendBridge(response);
      return;
    }
    serveFile(appId.get(), path, response);
  }

  private void serveFile(String appId, String path, ServerResponse response) {
    int slash = path.indexOf('/', 1);
    if (!path.startsWith("/~") || slash < 0) {
      refuse(response, Status.NOT_FOUND_404, baseCsp(List.of()),
          "open this app from the Hutong app; its pages are served with a launch ticket");
      return;
    }
    String ticketText = path.substring(2, slash);
    String file = path.substring(slash + 1);
    boolean page = file.endsWith(".html");
    Duration grace = page ? Duration.ZERO : LaunchTickets.ASSET_GRACE;
    var ticket = tickets.verify(ticketText, appId, grace);
    if (ticket.isEmpty()) {
      refuse(response, Status.FORBIDDEN_403, baseCsp(List.of()),
          "this launch ticket is not valid for this app or has expired; reopen the app");
      return;
    }
    if (ticket.get().preview() && !underReview(appId, ticket.get().version())) {
      // A preview shows a version to its reviewers only while they review it; after the
      // decision, only the lifecycle (testers, gray, online) decides who sees it.
      refuse(response, Status.FORBIDDEN_403, baseCsp(List.of()),
          "this version is no longer under review; the preview has ended");
      return;
    }
    String csp = csp(appId, ticket.get().version());
    Optional<PackageFile> found = FILE_PATH.matcher(file).matches() && !file.contains("..")
        ? versions.file(appId, ticket.get().version(), file) : Optional.empty();
    if (found.isEmpty()) {
      refuse(response, Status.NOT_FOUND_404, csp, "the app has no file " + file);
      return;
    }
    byte[] body = versions.store().read(found.get().sha256());
    securityHeaders(response, csp);
    response.header(HeaderNames.CONTENT_TYPE, found.get().contentType());
    if (page) {
      // A page is per launch (the ticket decides who sees which version): never cached.
      response.header(HeaderNames.CACHE_CONTROL, "no-store");
      body = withBridge(body);
    } else {
      // Under a ticket path the bytes of a content-addressed object never change.
      response.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
      response.header(HeaderNames.ETAG, "\"" + found.get().sha256() + "\"");
      // The app's pages run in an opaque origin (sandboxed, "null"), so their module scripts and
      // fetches of their own files are cross-origin CORS requests. Never with credentials.
      response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
    response.send(body);
  }

  private boolean underReview(String appId, SemVer version) {
    return versions.find(appId, version).map(v -> v.state() == VersionState.AUDITING)
        .orElse(false);
  }

  /** Puts the bridge script first in the page, so {@code my} exists before the app's scripts. */
  static byte[] withBridge(byte[] html) {
    String text = new String(html, StandardCharsets.UTF_8);
    String tag = "<script src=\"" + BRIDGE_PATH + "\"></script>";
    var head = Pattern.compile("<head[^>]*>", Pattern.CASE_INSENSITIVE).matcher(text);
    if (head.find()) {
      text = text.substring(0, head.end()) + tag + text.substring(head.end());
    } else {
      var doctype = Pattern.compile("^\\s*<!doctype[^>]*>", Pattern.CASE_INSENSITIVE)
          .matcher(text);
      text = doctype.find() ? text.substring(0, doctype.end()) + tag
          + text.substring(doctype.end()) : tag + text;
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private String csp(String appId, SemVer version) {
    String key = appId + "@" + version;
    String cached = cspCache.get(key);
    if (cached != null) {
      return cached;
    }
    List<String> domains = new ArrayList<>();
    JsonNode appJson = versions.get(appId, version).appJson();
    appJson.path("domains").forEach(d -> domains.add(d.asText()));
    String csp = baseCsp(domains);
    if (cspCache.size() >= CSP_CACHE_MAX) {
      cspCache.clear();
    }
    cspCache.put(key, csp);
    return csp;
  }

  /**
   * The policy: the app's own origin for code, styles, images and fonts; network only to its
   * approved domains (the validator accepted them as bare origins, so they are safe to splice);
   * framed only by the shell; sandboxed even if opened outside the shell's iframe.
   */
  String baseCsp(List<String> domains) {
    String connect = domains.isEmpty() ? "'none'" : String.join(" ", domains);
    return "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self'"
        + " 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; media-src 'self';"
        + " connect-src " + connect + "; form-action 'self'; base-uri 'none';"
        + " frame-ancestors " + String.join(" ", hosts.shellOrigins())
        + "; sandbox allow-scripts allow-forms";
  }

  private void sendBridge(ServerResponse response) {
    securityHeaders(response, baseCsp(List.of()));
    response.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
    response.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    response.send(bridgeScript);
  }

  private static void securityHeaders(ServerResponse response, String csp) {
    response.header(HeaderNames.create("Content-Security-Policy"), csp);
    response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
  }

  private static void refuse(ServerResponse response, Status status, String csp, String message) {
    securityHeaders(response, csp);
    response.status(status);
    response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.header(HeaderNames.CACHE_CONTROL, "no-store");
    response.send(message.getBytes(StandardCharsets.UTF_8));
  }

  /** The bridge script with the shell's origins filled in (the only parents it talks to). */
  private static byte[] loadBridge(List<String> shellOrigins) {
    try (InputStream in = AppOriginRoutes.class.getClassLoader()
        .getResourceAsStream(BRIDGE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bridge script " + BRIDGE_RESOURCE
            + " is missing from the server's resources");
      }
      String origins = "[" + String.join(",", shellOrigins.stream()
          .map(o -> "\"" + o + "\"").toList()) + "]";
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("\"__HUTONG_SHELL_ORIGINS__\"", origins)
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
