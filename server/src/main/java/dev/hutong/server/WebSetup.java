package dev.hutong.server;

import dev.hutong.identity.Sessions;
import dev.hutong.server.web.CsrfGuard;
import dev.hutong.server.web.SessionCookies;
import dev.hutong.server.web.WebAuth;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/** How the browser-facing side follows from the configuration: cookie flags, allowed origins. */
final class WebSetup {
  private WebSetup() {}

  static WebAuth auth(Sessions sessions, ServerConfig config) {
    String publicUrl = config.publicBaseUrl(config.port());
    return new WebAuth(sessions, new SessionCookies(publicUrl.startsWith("https://")),
        new CsrfGuard(origins(publicUrl, config.port())));
  }

  /** The public URL's origin, and loopback on the real port (a browser on this machine). */
  static Set<String> origins(String publicUrl, int port) {
    Set<String> origins = new LinkedHashSet<>();
    URI uri = URI.create(publicUrl);
    origins.add(uri.getScheme() + "://" + uri.getRawAuthority());
    origins.add("http://127.0.0.1:" + port);
    origins.add("http://localhost:" + port);
    return origins;
  }
}
