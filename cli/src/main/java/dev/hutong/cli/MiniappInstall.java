package dev.hutong.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hutong admin miniapp install --dir DIR --app APP_ID}: zips a mini-program directory and
 * installs it through the admin API, online for everyone at once (the package is validated by
 * the server exactly as an upload is). The app id is the open platform app's, from
 * {@code hutong admin app create}, so the mini-program and its merchant back end share it.
 * Installing unchanged files again changes nothing; changed files become the next patch version.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
    description = "Install a mini-program from a directory, online for everyone; prints "
        + "{\"app_id\",\"version\",\"state\",\"changed\"}.")
final class MiniappInstall extends AdminCommands.Leaf {
  /** The server refuses zips over 10 MB; stop reading well before memory matters. */
  static final long DIRECTORY_BYTES_MAX = 10L * 1024 * 1024;
  static final int FILES_MAX = 1000;

  @Command(name = "miniapp", mixinStandardHelpOptions = true, description = "Mini-programs.")
  static final class Group extends AdminCommands.Group {}

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "the mini-program's directory (app.json at its root)") Path dir;
  @Option(names = "--app", required = true, paramLabel = "APP_ID",
      description = "the open platform app id (hutong admin app create)") String app;
  @Option(names = "--name", paramLabel = "N",
      description = "the name users see (default: app.json window.defaultTitle)") String name;
  @Option(names = "--description", paramLabel = "D") String description;
  @Option(names = "--category", paramLabel = "C", description = "default: general")
  String category;
  @Option(names = "--city", paramLabel = "C") String city;

  @Override
  ObjectNode run(AdminClient client) {
    if (!app.matches("[a-z0-9-]{1,63}")) {
      throw new AdminFailure("--app must be an app id like 2024000000000001, got '" + app + "'",
          "CLI.USAGE");
    }
    byte[] zip = zip(dir);
    StringBuilder query = new StringBuilder();
    param(query, "name", name);
    param(query, "description", description);
    param(query, "category", category);
    param(query, "city", city);
    return client.postBytes("/admin/miniapps/" + app + "/install" + query, "application/zip",
        zip);
  }

  private static void param(StringBuilder query, String key, String value) {
    if (value != null) {
      query.append(query.isEmpty() ? '?' : '&').append(key).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }

  /**
   * The directory as a zip: regular files in path order with fixed timestamps, skipping hidden
   * files and folders (editor and VCS clutter the validator would refuse).
   */
  static byte[] zip(Path dir) {
    if (!Files.isRegularFile(dir.resolve("app.json"))) {
      throw new AdminFailure(dir + " has no app.json; --dir must be the mini-program's folder",
          "CLI.USAGE");
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile).filter(p -> !hidden(dir.relativize(p)))
          .sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    if (files.size() > FILES_MAX) {
      throw new AdminFailure(dir + " has more than " + FILES_MAX + " files", "CLI.USAGE");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long total = 0;
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path file : files) {
        total += Files.size(file);
        if (total > DIRECTORY_BYTES_MAX) {
          throw new AdminFailure(dir + " holds more than 10 MB; a package is at most 8 MB",
              "CLI.USAGE");
        }
        ZipEntry entry = new ZipEntry(dir.relativize(file).toString().replace('\\', '/'));
        entry.setTime(0);
        zip.putNextEntry(entry);
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot zip " + dir, e);
    }
    return out.toByteArray();
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
