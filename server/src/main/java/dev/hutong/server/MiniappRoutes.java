package dev.hutong.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hutong.miniapp.App;
import dev.hutong.miniapp.Categories;
import dev.hutong.miniapp.LaunchLinks;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.QrCodes;
import dev.hutong.miniapp.search.SearchQuery;
import dev.hutong.miniapp.search.SearchResult;
import dev.hutong.miniapp.search.SearchResults;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public mini-program routes: discovery ({@code GET /api/search}, {@code GET
 * /api/categories}) and launch links ({@code GET /launch/<appId>?page=&query=}, which redirects
 * into the shell at {@code /#/app/<appId>?page=..&query=..&scene=link}, and its QR code as PNG or
 * SVG). None needs a session: they show only what is public (online apps, their names).
 */
final class MiniappRoutes {
  static final int QR_PNG_DEFAULT_PX = 512;
  /** Query parameters any one of these routes takes; more is a typo or an attack. */
  private static final int PARAMS_MAX = 8;
  /** Scenes a launch link may name; the shell passes it to the app as its launch scene. */
  static final Set<String> LAUNCH_SCENES = Set.of("link", "qr");
  /** QR codes say they were scanned, so the app's launch options can tell. */
  static final String QR_SCENE = "qr";

  private final Miniapps miniapps;
  private final Json json;
  private final SuspendedApps suspended;
  private final LaunchLinks relativeLinks = new LaunchLinks("");

  MiniappRoutes(Miniapps miniapps, Json json, SuspendedApps suspended) {
    this.miniapps = miniapps;
    this.json = json;
    this.suspended = suspended;
  }

  void register(HttpRouting.Builder routing) {
    routing
        .get("/api/search", guard(this::search))
        .get("/api/categories", guard(this::categories))
        .get("/launch/{appId}/qr.png", guard(this::qrPng))
        .get("/launch/{appId}/qr.svg", guard(this::qrSvg))
        .get("/launch/{appId}", guard(this::launch));
  }

  // ------------------------------------------------------------------ discovery

  /**
   * {@code {"results":[{"app_id","name","description","category","icon","merchant_suspended"}],
   * "total":N}}; {@code merchant_suspended} is true for an app whose merchant the platform froze.
   */
  private void search(ServerRequest request, ServerResponse response) {
    Params p = new Params(request, "q", "category", "page", "size");
    String q = p.text("q", SearchQuery.TEXT_CHARS_MAX).orElse("");
    Optional<String> category = p.text("category", 64);
    if (category.isPresent() && !Categories.isKnown(category.get())) {
      throw new RouteError("unknown_category", "category '" + abbreviate(category.get())
          + "' does not exist; GET /api/categories lists them");
    }
    int size = p.number("size", 1, SearchQuery.PAGE_SIZE_MAX)
        .orElse(SearchQuery.DEFAULT_PAGE_SIZE);
    int page = p.number("page", 1, SearchQuery.DEPTH_MAX).orElse(1);
    if ((long) page * size > SearchQuery.DEPTH_MAX) {
      throw new RouteError("page_too_deep", "page " + page + " of " + size + " results goes"
          + " deeper than the first " + SearchQuery.DEPTH_MAX + " results; narrow the search");
    }
    SearchResults found = miniapps.discovery.search(
        new SearchQuery(q, category.orElse(null), page, size));
    Set<String> frozen = suspended.among(found.results().stream().map(SearchResult::appId)
        .toList());
    json.send(response, Status.OK_200, new Page(found.results().stream()
        .map(r -> new Result(r.appId(), r.name(), r.description(), r.category(), r.icon(),
            frozen.contains(r.appId()))).toList(), found.total()));
  }

  /** A page of results: records, so the JSON keeps its documented order. */
  record Page(List<Result> results, long total) {}

  record Result(@JsonProperty("app_id") String appId, String name, String description,
      String category, String icon,
      @JsonProperty("merchant_suspended") boolean merchantSuspended) {}

  private void categories(ServerRequest request, ServerResponse response) {
    new Params(request);
    List<Category> list = Categories.ALL.entrySet().stream()
        .map(e -> new Category(e.getKey(), e.getValue())).toList();
    json.send(response, Status.OK_200, Map.of("categories", list));
  }

  record Category(String slug, String name) {}

  // ------------------------------------------------------------------ launch links

  /**
   * Into the shell, which opens the app: {@code /#/app/<appId>?page=..&query=..&scene=link}. The
   * part after '#' never reaches a server, so the page and query stay in the browser.
   */
  private void launch(ServerRequest request, ServerResponse response) {
    Params p = new Params(request, "page", "query", "scene");
    Launch launch = launch(request, p);
    String scene = p.text("scene", 16).orElse("link");
    if (!LAUNCH_SCENES.contains(scene)) {
      throw new RouteError("invalid_scene", "scene must be one of " + LAUNCH_SCENES);
    }
    StringBuilder target = new StringBuilder("/#/app/").append(launch.appId()).append('?');
    launch.page().ifPresent(v -> target.append("page=").append(encode(v)).append('&'));
    launch.query().ifPresent(v -> target.append("query=").append(encode(v)).append('&'));
    target.append("scene=").append(scene);
    response.status(Status.FOUND_302);
    response.header(HeaderNames.LOCATION, target.toString());
    response.header(HeaderNames.CACHE_CONTROL, "no-store");
    response.send();
  }

  private void qrPng(ServerRequest request, ServerResponse response) {
    Params p = new Params(request, "page", "query", "size");
    Launch launch = launch(request, p);
    int size = p.number("size", QrCodes.PNG_PX_MIN, QrCodes.PNG_PX_MAX)
        .orElse(QR_PNG_DEFAULT_PX);
    byte[] png = QrCodes.png(qrText(launch), size);
    response.header(HeaderNames.CONTENT_TYPE, "image/png");
    response.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    response.send(png);
  }

  private void qrSvg(ServerRequest request, ServerResponse response) {
    Params p = new Params(request, "page", "query");
    Launch launch = launch(request, p);
    response.header(HeaderNames.CONTENT_TYPE, "image/svg+xml");
    response.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
    response.send(QrCodes.svg(qrText(launch)).getBytes(StandardCharsets.UTF_8));
  }

  /** What a launch QR code holds: the absolute launch link, marked as scanned. */
  String qrText(Launch launch) {
    String link = miniapps.links.link(launch.appId(), launch.page().orElse(null),
        launch.query().orElse(null));
    return link + (link.indexOf('?') < 0 ? '?' : '&') + "scene=" + QR_SCENE;
  }

  record Launch(String appId, Optional<String> page, Optional<String> query) {}

  private Launch launch(ServerRequest request, Params p) {
    String appId = request.path().pathParameters().get("appId");
    Optional<String> page = p.text("page", 255);
    Optional<String> query = p.text("query", LaunchLinks.QUERY_CHARS_MAX);
    try {
      // Checks the app id, page path and query length.
      relativeLinks.link(appId, page.orElse(null), query.orElse(null));
    } catch (MiniappException e) {
      throw new RouteError("invalid_launch_link", e.getMessage());
    }
    Optional<App> app = miniapps.apps.find(appId);
    if (app.isEmpty()) {
      throw new RouteError(Status.NOT_FOUND_404, "app_not_found", "no mini-program " + appId);
    }
    return new Launch(appId, page, query);
  }

  // ------------------------------------------------------------------ plumbing

  private interface Route {
    void handle(ServerRequest request, ServerResponse response);
  }

  private io.helidon.webserver.http.Handler guard(Route route) {
    return (request, response) -> {
      try {
        route.handle(request, response);
      } catch (RouteError e) {
        json.sendError(response, e.status, e.code, e.getMessage());
      }
    };
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }

  /** A refused request: 400 unless said otherwise, with a code and what to do. */
  static final class RouteError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Status status;
    final String code;

    RouteError(String code, String message) {
      this(Status.BAD_REQUEST_400, code, message);
    }

    RouteError(Status status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /** The query parameters of a request: only the named ones, each at most once, bounded. */
  static final class Params {
    private final ServerRequest request;

    Params(ServerRequest request, String... allowed) {
      this.request = request;
      Set<String> names = request.query().names();
      if (names.size() > PARAMS_MAX) {
        throw new RouteError("too_many_parameters", "at most " + PARAMS_MAX
            + " query parameters");
      }
      for (String name : names) {
        if (!List.of(allowed).contains(name)) {
          throw new RouteError("unknown_parameter", "unknown query parameter '"
              + abbreviate(name) + "'; this route takes " + List.of(allowed));
        }
        if (request.query().all(name).size() > 1) {
          throw new RouteError("repeated_parameter", "query parameter '" + name
              + "' is given more than once");
        }
      }
    }

    Optional<String> text(String name, int charsMax) {
      String value = request.query().first(name).orElse("");
      if (value.length() > charsMax) {
        throw new RouteError("parameter_too_long", name + " is longer than " + charsMax
            + " characters");
      }
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    Optional<Integer> number(String name, int min, int max) {
      Optional<String> text = text(name, 9);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      int value;
      try {
        value = Integer.parseInt(text.get());
      } catch (NumberFormatException e) {
        throw new RouteError("invalid_parameter", name + " must be a whole number from " + min
            + " to " + max + ", got '" + text.get() + "'");
      }
      if (value < min || value > max) {
        throw new RouteError("invalid_parameter", name + " must be from " + min + " to " + max
            + ", got " + value);
      }
      return Optional.of(value);
    }
  }
}
