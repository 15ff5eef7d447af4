package dev.hutong.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.miniapp.AppProfile;
import dev.hutong.miniapp.MiniappException;
import dev.hutong.miniapp.runtime.DirectInstall;
import dev.hutong.openapi.AppInfo;
import dev.hutong.openapi.AppRegistry;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/miniapps/{appId}/install}: the body is a package zip
 * ({@code application/zip}); it goes online for everyone at once ({@link DirectInstall}). The app
 * id is an open platform app's (made with {@code hutong admin app create}), so the mini-program,
 * its merchant back end and its OAuth codes all share one id, as on Alipay. Optional query
 * parameters {@code name}, {@code description}, {@code category}, {@code city} set the profile of
 * an app installed for the first time. Errors follow the admin API's shape.
 */
final class MiniappAdminRoutes {
  private static final Logger log = LoggerFactory.getLogger(MiniappAdminRoutes.class);
  /** The zip limit of the package validator, plus nothing: larger is refused unread. */
  static final int ZIP_BYTES_MAX = 10 * 1024 * 1024;

  private final OperatorToken token;
  private final DirectInstall install;
  private final AppRegistry openApps;
  private final ObjectMapper mapper;

  MiniappAdminRoutes(OperatorToken token, DirectInstall install, AppRegistry openApps,
      ObjectMapper mapper) {
    this.token = token;
    this.install = install;
    this.openApps = openApps;
    this.mapper = mapper;
  }

  void register(HttpRouting.Builder routing) {
    routing.post(AdminRoutes.PREFIX + "/miniapps/{appId}/install", this::install);
  }

  private void install(ServerRequest request, ServerResponse response) {
    Map<String, Object> body = new LinkedHashMap<>();
    Status status = Status.OK_200;
    try {
      authenticate(request);
      String appId = request.path().pathParameters().get("appId");
      AppInfo app = openApps.info(appId).orElseThrow(() -> new AdminException(
          Status.NOT_FOUND_404, "APP_NOT_FOUND", "no open platform app " + AdminBody.abbreviate(
              appId) + "; create it with 'hutong admin app create' and install with its app_id"));
      byte[] zip = readZip(request);
      var installed = install.install(app.appId(), app.merchantId(), profile(request, app), zip,
          "operator");
      body.put("app_id", app.appId());
      body.put("version", installed.version().version().toString());
      body.put("state", installed.version().state().name());
      body.put("changed", installed.created());
    } catch (AdminException e) {
      status = e.status();
      body = error(e.subCode(), e.getMessage());
    } catch (MiniappException e) {
      status = Status.BAD_REQUEST_400;
      body = error("MINIAPP." + e.error().name(), e.getMessage());
    } catch (RuntimeException e) {
      String incident = UUID.randomUUID().toString().substring(0, 8);
      log.error("miniapp install failed (incident {})", incident, e);
      status = Status.INTERNAL_SERVER_ERROR_500;
      body = error("ADMIN.INTERNAL_ERROR", "the server failed to install the package (incident "
          + incident + "); the details are in the server log");
    }
    send(response, status, body);
  }

  private static AppProfile profile(ServerRequest request, AppInfo app) {
    var q = request.query();
    if (!q.contains("name")) {
      return null;
    }
    String name = q.get("name");
    return new AppProfile(name, q.contains("description") ? q.get("description") : name,
        q.contains("category") ? q.get("category") : DirectInstall.DEFAULT_CATEGORY, List.of(),
        q.contains("city") ? q.get("city") : DirectInstall.DEFAULT_CITY, null);
  }

  private void authenticate(ServerRequest request) {
    String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse("");
    String presented = header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim() : null;
    if (!token.matches(presented)) {
      throw new AdminException(Status.UNAUTHORIZED_401, "ADMIN.UNAUTHORIZED",
          "the admin API needs 'Authorization: Bearer <token>' with the token from "
              + token.file() + " (written anew at every start)");
    }
  }

  private static byte[] readZip(ServerRequest request) {
    String type = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/zip")) {
      throw new AdminException(Status.UNSUPPORTED_MEDIA_TYPE_415, "ADMIN.UNSUPPORTED_MEDIA_TYPE",
          "send the package as Content-Type: application/zip");
    }
    if (!request.content().hasEntity()) {
      throw AdminException.badRequest("ADMIN.MISSING_FIELD", "the body must be the package zip");
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] bytes = in.readNBytes(ZIP_BYTES_MAX + 1);
      if (bytes.length > ZIP_BYTES_MAX) {
        throw new AdminException(Status.REQUEST_ENTITY_TOO_LARGE_413, "ADMIN.BODY_TOO_LARGE",
            "a package zip is at most " + ZIP_BYTES_MAX + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the package", e);
    }
  }

  private static Map<String, Object> error(String subCode, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("sub_code", subCode);
    return body;
  }

  private void send(ServerResponse response, Status status, Map<String, Object> body) {
    try {
      response.status(status);
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.send(mapper.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
