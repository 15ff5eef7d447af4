package dev.hutong.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The booking templates' mini-program packages (the repository's templates/ directory, on the
 * server's class path under templates/). Each template lists its files in files.txt; the shared
 * booking client and theme (templates/common) go into every package as lib/booking.js and
 * lib/theme.css, so they have one source.
 */
public final class TemplatePackages {
  /** The three templates the booking engine serves. */
  public static final List<String> NAMES = List.of("cinema", "restaurant", "property");
  private static final String ROOT = "templates/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TemplatePackages() {}

  /** The template's package as a zip, ready for the miniapp PackageValidator. */
  public static byte[] zip(String name) {
    return zip(name, List.of());
  }

  /**
   * The package with app.json's "domains" set to {@code apiOrigins} (the origins this server's
   * booking API answers on: the apps' Content-Security-Policy lets fetch reach only those); an
   * empty list keeps the packaged default (the default port, 8080).
   */
  public static byte[] zip(String name, List<String> apiOrigins) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("no template " + name + "; one of " + NAMES);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String path : files(name)) {
        byte[] content = read(ROOT + name + "/" + path);
        if (path.equals("app.json") && !apiOrigins.isEmpty()) {
          content = withDomains(content, apiOrigins);
        }
        add(zip, path, content);
      }
      add(zip, "lib/booking.js", read(ROOT + "common/booking.js"));
      add(zip, "lib/theme.css", read(ROOT + "common/theme.css"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not zip template " + name, e);
    }
    return bytes.toByteArray();
  }

  /** A resource of a template as text (e.g. its ext schema). */
  public static String text(String name, String path) {
    return new String(read(ROOT + name + "/" + path), StandardCharsets.UTF_8);
  }

  private static byte[] withDomains(byte[] appJson, List<String> origins) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(appJson);
    ArrayNode domains = json.putArray("domains");
    origins.forEach(domains::add);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
  }

  private static List<String> files(String name) {
    List<String> files = new ArrayList<>();
    for (String line : text(name, "files.txt").split("\n")) {
      if (!line.isBlank()) {
        files.add(line.strip());
      }
    }
    return files;
  }

  private static void add(ZipOutputStream zip, String path, byte[] content) throws IOException {
    ZipEntry entry = new ZipEntry(path);
    entry.setTime(0); // the same files make the same zip, so re-installing changes nothing
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }

  private static byte[] read(String resource) {
    try (InputStream in = TemplatePackages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the build left out " + resource
            + " (server/pom.xml copies the repository's templates/ onto the class path)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + resource, e);
    }
  }
}
