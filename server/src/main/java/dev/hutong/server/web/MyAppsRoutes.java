package dev.hutong.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.identity.SessionRole;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.Apps;
import dev.hutong.miniapp.MiniappError;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.UserApps;
import dev.hutong.miniapp.VersionResolver;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The user's own mini-program lists on the shell's home (docs/shell.md): recently used (recorded
 * by the runtime's launch, once, server-side) and favourites. Under the user's session; adding and
 * removing a favourite are state-changing, so they also pass the CSRF check. Both are idempotent:
 * adding twice keeps one favourite, removing an absent one answers the same as removing it.
 */
public final class MyAppsRoutes implements Routes {
  /** Default and largest {@code limit} of the lists. */
  static final int LIMIT_DEFAULT = 20;
  private static final Pattern APP_ID = Pattern.compile("[a-z0-9-]{1,63}");

  /** What the routes read and change; built by the composition root. */
  /**
   * @param suspendedAmong which of the given app ids belong to a frozen merchant (marked as in
   *     search results)
   */
  public record Services(Apps apps, UserApps userApps, VersionResolver resolver,
      Function<Collection<String>, Set<String>> suspendedAmong) {}

  private final Services s;
  private final WebAuth auth;
  private final JsonApi json;

  public MyAppsRoutes(Services services, WebAuth auth, ObjectMapper mapper) {
    this.s = services;
    this.auth = auth;
    this.json = new JsonApi(mapper);
  }

  @Override
  public void register(HttpRouting.Builder routing) {
    routing
        .get("/api/me/apps/recent", json.wrap(this::recent))
        .get("/api/me/apps/favorites", json.wrap(this::favorites))
        .put("/api/me/apps/favorites/{appId}", json.wrap(this::addFavorite))
        .delete("/api/me/apps/favorites/{appId}", json.wrap(this::removeFavorite));
  }

  private Object recent(ServerRequest request, ServerResponse response) {
    UUID user = auth.require(request, SessionRole.USER).id();
    int limit = limit(request, UserApps.RECENT_KEPT);
    return Map.of("apps", available(user, s.userApps().recent(user, UserApps.RECENT_KEPT), limit));
  }

  private Object favorites(ServerRequest request, ServerResponse response) {
    UUID user = auth.require(request, SessionRole.USER).id();
    int limit = limit(request, UserApps.FAVORITES_MAX);
    return Map.of("apps", available(user, s.userApps().favorites(user), limit));
  }

  private Object addFavorite(ServerRequest request, ServerResponse response) {
    UUID user = auth.require(request, SessionRole.USER).id();
    noParameters(request);
    String appId = appId(request);
    if (s.resolver().versionFor(appId, user).isEmpty()) {
      throw notFound(appId);
    }
    try {
      s.userApps().addFavorite(user, appId);
    } catch (MiniappException e) {
      if (e.error() == MiniappError.APP_NOT_FOUND) {
        throw notFound(appId);
      }
      if (e.error() == MiniappError.LIMIT_REACHED) {
        throw new WebException(Status.CONFLICT_409, "favorites_full", e.getMessage());
      }
      throw e;
    }
    return Map.of("app_id", appId, "favorite", true);
  }

  private Object removeFavorite(ServerRequest request, ServerResponse response) {
    UUID user = auth.require(request, SessionRole.USER).id();
    noParameters(request);
    String appId = appId(request);
    // An app that went offline can still be taken off the list, so no availability check here.
    s.userApps().removeFavorite(user, appId);
    return Map.of("app_id", appId, "favorite", false);
  }

  /**
   * The apps of {@code appIds} this user can open now (online, or in a gray or trial they are
   * in), in the given order, at most {@code limit}; the others stay stored and come back when the
   * app does.
   */
  private List<Map<String, Object>> available(UUID user, List<String> appIds, int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String appId : appIds) {
      if (out.size() == limit) {
        break;
      }
      Optional<App> app = s.apps().find(appId);
      if (app.isPresent() && s.resolver().versionFor(appId, user).isPresent()) {
        out.add(row(app.get()));
      }
    }
    Set<String> suspended = s.suspendedAmong().apply(out.stream()
        .map(row -> (String) row.get("app_id")).toList());
    out.forEach(row -> row.put("merchant_suspended", suspended.contains(row.get("app_id"))));
    return out;
  }

  /** The same fields as a {@code GET /api/search} result, so the shell draws both alike. */
  private static Map<String, Object> row(App app) {
    AppProfile p = app.profile();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("app_id", app.appId());
    row.put("name", p.name());
    row.put("description", p.description());
    row.put("category", p.category());
    row.put("icon", p.iconPath());
    return row;
  }

  private static int limit(ServerRequest request, int max) {
    Set<String> names = request.query().names();
    for (String name : names) {
      if (!name.equals("limit")) {
        throw WebException.badRequest("unknown_parameter", "unknown query parameter; this"
            + " route takes only limit (1-" + max + ")");
      }
    }
    if (names.isEmpty()) {
      return Math.min(LIMIT_DEFAULT, max);
    }
    List<String> values = request.query().all("limit");
    if (values.size() > 1) {
      throw WebException.badRequest("repeated_parameter", "limit is given more than once");
    }
    String text = values.get(0);
    if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > max) {
      throw WebException.badRequest("invalid_parameter", "limit must be a whole number from 1"
          + " to " + max);
    }
    return Integer.parseInt(text);
  }

  private static void noParameters(ServerRequest request) {
    if (!request.query().names().isEmpty()) {
      throw WebException.badRequest("unknown_parameter", "this route takes no query parameters");
    }
  }

  private static String appId(ServerRequest request) {
    String appId = request.path().pathParameters().get("appId");
    if (!APP_ID.matcher(appId).matches()) {
      throw WebException.badRequest("invalid_app_id", "an app id is 1-63 lower-case letters,"
          + " digits or '-'");
    }
    return appId;
  }

  private static WebException notFound(String appId) {
    return new WebException(Status.NOT_FOUND_404, "app_not_found", "no mini-program " + appId
        + " you can open");
  }
}
