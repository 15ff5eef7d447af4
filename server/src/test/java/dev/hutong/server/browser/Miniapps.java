package dev.hutong.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hutong.openapi.gateway.KeyPairs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Mini-programs for tests: packages from directories, installed through the admin API. */
public final class Miniapps {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Miniapps() {}

  /** A merchant and its open platform app, with the keys a merchant back end needs. */
  public record MerchantApp(String merchantId, String appId, String appPrivateKey,
      String platformPublicKey) {}

  public static MerchantApp merchant(ServerFixture server, String name) {
    String merchantId = server.admin("/admin/merchants", "name", name, "fee_rate", "0.006")
        .path("merchant_id").asText();
    KeyPair keys = KeyPairs.generateRsa2048();
    JsonNode app = server.admin("/admin/apps", "merchant_id", merchantId, "public_key",
        KeyPairs.publicKeyBase64(keys.getPublic()));
    return new MerchantApp(merchantId, app.path("app_id").asText(),
        KeyPairs.privateKeyBase64(keys.getPrivate()), app.path("platform_public_key").asText());
  }

  /** The repository's directory {@code relative} (tests run with the module as working dir). */
  public static Path repoPath(String relative) {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(relative))) {
        return p.resolve(relative);
      }
    }
    throw new IllegalStateException("cannot find " + relative + " above " + here);
  }

  /** Zips a directory, replacing text in every file (e.g. the merchant back end's origin). */
  public static byte[] zip(Path dir, Map<String, String> replacements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> walk = Files.walk(dir)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      for (Path file : files) {
        String text = Files.readString(file);
        for (var r : replacements.entrySet()) {
          text = text.replace(r.getKey(), r.getValue());
        }
        zip.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** POST /admin/miniapps/{appId}/install; throws unless it answers 2xx. */
  public static JsonNode install(ServerFixture server, String appId, byte[] zip) {
    return install(server, appId, zip, "");
  }

  /**
   * The same with the app's profile on a first install, e.g. {@code
   * name=Starlight%20Cinema&category=movies} (name, description, category, city).
   */
  public static JsonNode install(ServerFixture server, String appId, byte[] zip,
      String profileQuery) {
    try {
      String token = Files.readString(server.server().operatorTokenFile()).trim();
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
              + "/admin/miniapps/" + appId + "/install"
              + (profileQuery.isEmpty() ? "" : "?" + profileQuery)))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/zip")
          .POST(HttpRequest.BodyPublishers.ofByteArray(zip)).timeout(Duration.ofSeconds(60))
          .build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = MAPPER.readTree(r.body());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("install answered " + r.statusCode() + ": " + json);
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
