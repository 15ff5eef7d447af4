package dev.hutong.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.miniapp.LaunchLinks;
import dev.hutong.miniapp.PackageProblem;
import dev.hutong.miniapp.QrCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hutong miniapp ...}: the developer's tooling. {@code init} and {@code pack} work
 * offline; the others call a running server's operator API ({@code /admin/miniapps}) with the
 * operator token from {@code <data-dir>/operator.token}, like {@code hutong admin} — on a
 * developer's own Hutong the developer is the operator. (On a shared platform a developer uses the
 * gateway's alipay.open.mini.* methods with the app's own key instead; docs/openapi.md.)
 */
final class MiniappCommands {
  /** Starters for {@code init}, each a list of files under starters/NAME in the resources. */
  static final Map<String, List<String>> STARTERS = Map.of(
      "blank", List.of("app.json", "pages/index/index.html", "pages/index/index.css",
          "pages/index/index.js"),
      "shop", List.of("app.json", "ext.schema.json", "pages/index/index.html",
          "pages/index/index.css", "pages/index/index.js"));
  /** How often {@code dev} looks for changed files. */
  static final long DEV_POLL_MILLIS = 300;

  private MiniappCommands() {}

  static CommandLine commandLine() {
    CommandLine miniapp = new CommandLine(new Miniapp());
    miniapp.addSubcommand("init", new Init());
    miniapp.addSubcommand("pack", new Pack());
    miniapp.addSubcommand("create", new Create());
    miniapp.addSubcommand("upload", new Upload());
    miniapp.addSubcommand("submit", new Submit());
    miniapp.addSubcommand("release", new Release());
    miniapp.addSubcommand("review", new Review());
    miniapp.addSubcommand("approve", new Approve());
    miniapp.addSubcommand("reject", new Reject());
    miniapp.addSubcommand("rollback", new Rollback());
    miniapp.addSubcommand("preview", new Preview());
    miniapp.addSubcommand("dev", new Dev());
    return miniapp;
  }

  @Command(name = "miniapp", mixinStandardHelpOptions = true,
      description = "Make, package, upload, release and preview mini-programs.")
  static final class Miniapp extends AdminCommands.Group {}

  /** A command against the server: failures become one line on stderr. */
  abstract static class ServerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminCommands.Connection connection = new AdminCommands.Connection();
    // Not mixinStandardHelpOptions: several commands take --version X.Y.Z, the app's version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message"
        + " and exit.")
    boolean help;

    abstract void run(AdminClient client, PrintWriter out);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        run(AdminClient.connect(connection.server, connection.dataDirectory), out);
      } catch (AdminFailure e) {
        throw new CommandFailure(e.getMessage());
      }
      out.flush();
      return 0;
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  // ------------------------------------------------------------------ offline

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Write a working starter into DIR (new or empty): a page that greets the"
          + " user (my.getAuthCode), counts visits (my.setStorage) and pays (my.tradePay).")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "DIR") Path dir;
    @Option(names = "--template", paramLabel = "T",
        description = "blank (default) or shop (a template app: ext.schema.json and"
            + " my.getExtConfig)")
    String template = "blank";

    @Override
    public Integer call() throws IOException {
      List<String> files = STARTERS.get(template);
      if (files == null) {
        throw new CommandFailure("no starter '" + template + "'; choose one of "
            + STARTERS.keySet().stream().sorted().toList());
      }
      if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
        throw new CommandFailure(dir + " exists and is not an empty directory; choose a new"
            + " one, so nothing of yours is overwritten");
      }
      for (String file : files) {
        Path target = dir.resolve(file);
        Files.createDirectories(target.getParent());
        try (InputStream in = MiniappCommands.class.getResourceAsStream("starters/" + template
            + "/" + file)) {
          if (in == null) {
            throw new IllegalStateException("starter file missing from the build: " + file);
          }
          Files.write(target, in.readAllBytes());
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("wrote the " + template + " starter to " + dir + " (" + files.size()
          + " files)");
      out.println("next: hutong miniapp pack " + dir + "   (or: hutong miniapp dev " + dir
          + " --app <id>)");
      out.flush();
      return 0;
    }

    private static boolean isEmpty(Path dir) throws IOException {
      try (var list = Files.list(dir)) {
        return list.findAny().isEmpty();
      }
    }
  }

  @Command(name = "pack", mixinStandardHelpOptions = true,
      description = "Zip DIR and check it exactly as the server does; print every problem, or"
          + " write the zip.")
  static final class Pack implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "DIR") Path dir;
    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
        description = "where to write the zip (default: DIR.zip next to DIR)")
    Path out;

    @Override
    public Integer call() throws IOException {
      Path zip = out != null ? out : defaultZip(dir);
      PrintWriter w = spec.commandLine().getOut();
      MiniappPackager.Packed packed = packAndReport(dir, zip, w);
      Files.write(zip, packed.zip());
      w.println("wrote " + zip + " (" + packed.zip().length + " bytes)");
      w.flush();
      return 0;
    }
  }

  static Path defaultZip(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + ".zip");
  }

  /** Packs and validates, printing progress and each problem; a failure stops the command. */
  static MiniappPackager.Packed packAndReport(Path dir, Path exclude, PrintWriter out) {
    out.println("packing " + dir + " ...");
    out.flush();
    MiniappPackager.Packed packed = MiniappPackager.pack(dir, exclude);
    out.println(String.format(Locale.ROOT, "  %d files, %s unpacked, %s zipped; checking ...",
        packed.files(), size(packed.bytes()), size(packed.zip().length)));
    if (!packed.valid()) {
      List<PackageProblem> problems = packed.problems();
      for (PackageProblem p : problems) {
        out.println("  - " + p);
      }
      out.flush();
      throw new CommandFailure("the package has " + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s") + " (listed above); the server would refuse it");
    }
    out.println("  the package passes every check the server makes");
    out.flush();
    return packed;
  }

  static String size(long bytes) {
    return bytes < 10 * 1024 ? bytes + " B" : String.format(Locale.ROOT, "%.1f KB",
        bytes / 1024.0);
  }

  // ------------------------------------------------------------------ against the server

  @Command(name = "create",
      description = "Create a mini-program of a merchant. Give --app-id the merchant's Open API"
          + " app id to manage it through the gateway's alipay.open.mini.* methods too.")
  static final class Create extends ServerCommand {
    @Option(names = "--merchant", required = true, paramLabel = "ID") String merchant;
    @Option(names = "--app-id", paramLabel = "ID", description = "default: generated") String appId;
    @Option(names = "--name", required = true, paramLabel = "NAME") String name;
    @Option(names = "--category", paramLabel = "SLUG", description = "default: general")
    String category;
    @Option(names = "--description", paramLabel = "TEXT") String description;
    @Option(names = "--keywords", paramLabel = "A,B", description = "search keywords")
    String keywords;
    @Option(names = "--city", paramLabel = "CITY") String city;
    @Option(names = "--template", description = "a template app (its package has ext.schema.json)")
    boolean template;

    @Override
    void run(AdminClient client, PrintWriter out) {
      ObjectNode app = client.post("/admin/miniapps", AdminCommands.body("merchant_id",
          AdminCommands.id("--merchant", merchant), "app_id", appId, "kind",
          template ? "TEMPLATE" : "APP", "name", name, "category", category, "description",
          description, "keywords", keywords, "city", city));
      AdminCommands.print(out, app);
    }
  }

  @Command(name = "upload",
      description = "Pack DIR, check it, and upload it as a develop version (the same number"
          + " again replaces a version still in develop).")
  static final class Upload extends ServerCommand {
    @Parameters(paramLabel = "DIR") Path dir;
    @Option(names = "--app", required = true, paramLabel = "ID") String app;
    @Option(names = "--version", required = true, paramLabel = "X.Y.Z") String version;

    @Override
    void run(AdminClient client, PrintWriter out) {
      ObjectNode v = upload(client, out, dir, app, version);
      out.println("uploaded " + app + " " + v.path("version").asText() + ": "
          + v.path("state").asText() + ", " + v.path("files").asInt() + " files");
    }
  }

  static ObjectNode upload(AdminClient client, PrintWriter out, Path dir, String app,
      String version) {
    MiniappPackager.Packed packed = packAndReport(dir, null, out);
    out.println("uploading " + size(packed.zip().length) + " to " + client.server() + " ...");
    out.flush();
    return client.put(versionPath(app, version) + "/package", packed.zip(), "application/zip");
  }

  static String versionPath(String app, String version) {
    return "/admin/miniapps/" + segment(app, "--app") + "/versions/" + segment(version,
        "--version");
  }

  /** App ids and versions go into URL paths: only their own characters are allowed. */
  static String segment(String value, String option) {
    if (!value.matches("[0-9a-z.-]{1,63}")) {
      throw new AdminFailure(option + " must be lowercase letters, digits, '-' and '.', got '"
          + value + "'", "CLI.USAGE");
    }
    return value;
  }

  @Command(name = "submit",
      description = "Submit a version for the operator's review.")
  static final class Submit extends ServerCommand {
    @Option(names = "--app", required = true, paramLabel = "ID") String app;
    @Option(names = "--version", required = true, paramLabel = "X.Y.Z") String version;
    @Option(names = "--description", required = true, paramLabel = "TEXT",
        description = "what this version does or changes") String description;
    @Option(names = "--category", paramLabel = "SLUG", description = "default: general")
    String category;
    @Option(names = "--screenshots", paramLabel = "A,B", description = "screenshot URLs")
    String screenshots;

    @Override
    void run(AdminClient client, PrintWriter out) {
      ObjectNode v = client.post(versionPath(app, version) + "/submit", AdminCommands.body(
          "description", description, "category", category, "screenshots", screenshots));
      out.println(app + " " + version + ": " + v.path("state").asText()
          + " (the operator reviews it: GET /admin/review)");
    }
  }

  @Command(name = "release",
      description = "Release an approved version to everyone, or with --gray to P%% of users"
          + " (again with a larger P to widen).")
  static final class Release extends ServerCommand {
    @Option(names = "--app", required = true, paramLabel = "ID") String app;
    @Option(names = "--version", required = true, paramLabel = "X.Y.Z") String version;
    @Option(names = "--gray", paramLabel = "P", description = "1-99: a gray release") Integer gray;

    @Override
    void run(AdminClient client, PrintWriter out) {
      ObjectNode v = gray != null
          ? client.post(versionPath(app, version) + "/gray", AdminCommands.body("percent",
              Integer.toString(gray)))
          : client.post(versionPath(app, version) + "/release", Map.of());
      out.println(app + " " + version + ": " + v.path("state").asText()
          + (v.has("gray_percent") ? " to " + v.path("gray_percent").asInt() + "% of users" : "")
          + (v.has("unchanged") ? " (already so)" : ""));
    }
  }

  @Command(name = "review",
      description = "List the versions waiting for review, oldest first, each with what it"
          + " changes against the online version (the operator's queue).")
  static final class Review extends ServerCommand {
    @Option(names = "--limit", paramLabel = "N", description = "1-100 (default 20)")
    int limit = 20;

    @Override
    void run(AdminClient client, PrintWriter out) {
      var pending = client.get("/admin/review?limit=" + limit).path("pending");
      if (pending.isEmpty()) {
        out.println("nothing waits for review");
      }
      for (var item : pending) {
        var diff = item.path("diff");
        out.println(item.path("app_id").asText() + " " + item.path("version").asText() + "  "
            + item.path("app_name").asText() + " (" + item.path("merchant_name").asText()
            + "), submitted " + item.path("submitted_at").asText());
        out.println("  " + item.path("submission").path("description").asText());
        out.println("  against " + (diff.path("against").isNull() ? "nothing online"
            : diff.path("against").asText()) + ": files added " + diff.path("files_added")
            + ", changed " + diff.path("files_changed") + ", removed "
            + diff.path("files_removed"));
        out.println("  domains added " + diff.path("domains_added") + ", scopes added "
            + diff.path("scopes_added"));
      }
    }
  }

  @Command(name = "approve", description = "Approve a version in review (the operator).")
  static final class Approve extends ServerCommand {
    @Option(names = "--app", required = true, paramLabel = "ID") String app;
    @Option(names = "--version", required = true, paramLabel = "X.Y.Z") String version;
    @Option(names = "--note", paramLabel = "TEXT") String note;

    @Override
    void run(AdminClient client, PrintWriter out) {
      ObjectNode v = client.post(versionPath(app, version) + "/approve",
          AdminCommands.body("note", note));
      out.println(app + " " + version + ": " + v.path("state").asText()
          + (v.has("unchanged") ? " (already so)" : ""));
    }
  }

  @Command(name = "reject",
      description = "Reject a version in review with one --finding per problem, each naming"
          + " the file, the rule and what to change.")
  static final class Reject extends ServerCommand {
    @Option(names = "--app", required = true, paramLabel = "ID") String app;
    @Option(names = "--version", required = true, paramLabel = "X.Y.Z") String version;
    @Option(names = "--finding", required = true, paramLabel = "FILE:RULE:REASON",
        description = "e.g. pages/pay/pay.js:prices:show prices with their currency")
    List<String> findings;

    @Override
    void run(AdminClient client, PrintWriter out) {
      List<Map<String, String>> list = findings.stream().map(Reject::finding).toList();
      ObjectNode v = client.postJson(versionPath(app, version) + "/reject",
          Map.of("findings", list));
      out.println(app + " " + version + ": " + v.path("state").asText() + " with "
          + v.path("findings").size() + " finding(s)");
    }

    private static Map<String, String> finding(String text) {
      String[] parts = text.split(":", 3);
      if (parts.length < 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
        throw new AdminFailure("--finding must be FILE:RULE:REASON, got '" + text + "'",
            "CLI.USAGE");
      }
      return Map.of("file", parts[0].strip(), "rule", parts[1].strip(), "reason",
          parts[2].strip());
    }
  }

  @Command(name = "rollback",
      description = "Put the previous online version back online, at once, for everyone.")
  static final class Rollback extends ServerCommand {
    @Option(names = "--app", required = true, paramLabel = "ID") String app;

    @Override
    void run(AdminClient client, PrintWriter out) {
      ObjectNode v = client.post("/admin/miniapps/" + segment(app, "--app") + "/rollback",
          Map.of());
      out.println(app + ": " + v.path("version").asText() + " is " + v.path("state").asText()
          + " again");
    }
  }

  @Command(name = "preview",
      description = "Print the app's launch link and its QR code (scan it with a phone that"
          + " reaches the server).")
  static final class Preview extends ServerCommand {
    @Option(names = "--app", required = true, paramLabel = "ID") String app;
    @Option(names = "--page", paramLabel = "PAGE", description = "e.g. pages/index/index")
    String page;
    @Option(names = "--query", paramLabel = "Q", description = "the launch query, e.g. table=7")
    String query;

    @Override
    void run(AdminClient client, PrintWriter out) {
      ObjectNode a = client.get("/admin/miniapps/" + segment(app, "--app"));
      printLaunch(out, client, app, page, query);
      out.println(a.path("name").asText() + " is " + a.path("status").asText());
    }
  }

  static void printLaunch(PrintWriter out, AdminClient client, String app, String page,
      String query) {
    String link = new LaunchLinks(client.server().toString()).link(app, page, query);
    out.println(link);
    out.print(QrCodes.terminal(link));
    out.flush();
  }

  @Command(name = "dev",
      description = {"Serve DIR into the running server as a develop version and upload it"
          + " again whenever a file changes (Ctrl-C stops). With --tester, the version is put"
          + " in trial for that user, so the shell serves it to them (envVersion trial); reload"
          + " the app to see a change."})
  static final class Dev extends ServerCommand {
    @Parameters(paramLabel = "DIR") Path dir;
    @Option(names = "--app", required = true, paramLabel = "ID") String app;
    @Option(names = "--version", paramLabel = "X.Y.Z", description = "default 0.0.1")
    String version = "0.0.1";
    @Option(names = "--tester", paramLabel = "USER_ID",
        description = "the user (you, signed in to the shell) who gets the version")
    String tester;
    @Option(names = "--uploads", paramLabel = "N", hidden = true,
        description = "stop after N uploads (scripts and tests); default: run until stopped")
    int uploadsMax = Integer.MAX_VALUE;

    @Override
    void run(AdminClient client, PrintWriter out) {
      if (tester != null) {
        AdminCommands.id("--tester", tester);
      }
      String seen = MiniappPackager.fingerprint(dir);
      devUpload(client, out);
      printLaunch(out, client, app, null, null);
      out.println("watching " + dir + " for changes (Ctrl-C stops) ...");
      out.flush();
      for (int uploads = 1; uploads < uploadsMax; ) {
        sleep(DEV_POLL_MILLIS);
        String now = MiniappPackager.fingerprint(dir);
        if (now.equals(seen)) {
          continue;
        }
        // Let an editor finish writing before packing.
        sleep(DEV_POLL_MILLIS);
        seen = MiniappPackager.fingerprint(dir);
        try {
          devUpload(client, out);
          uploads++;
        } catch (CommandFailure | AdminFailure e) {
          // A broken save must not end the session: say what is wrong and wait for the fix.
          out.println("not uploaded: " + e.getMessage());
          out.flush();
        }
      }
    }

    /** A trial version goes back to develop for the new files, then to trial again. */
    private void devUpload(AdminClient client, PrintWriter out) {
      String path = versionPath(app, version);
      String state = currentState(client, path);
      if (state.equals("TRIAL")) {
        client.post(path + "/develop", Map.of());
      } else if (!state.equals("DEVELOP") && !state.isEmpty()) {
        throw new CommandFailure(app + " " + version + " is " + state + ", past development;"
            + " develop a higher --version");
      }
      ObjectNode v = upload(client, out, dir, app, version);
      if (tester != null) {
        v = client.post(path + "/trial", AdminCommands.body("testers", tester));
      }
      out.println(java.time.LocalTime.now().withNano(0) + " uploaded " + app + " " + version
          + " (" + v.path("state").asText() + ", " + v.path("files").asInt() + " files)");
      out.flush();
    }

    private static String currentState(AdminClient client, String path) {
      try {
        return client.get(path).path("state").asText();
      } catch (AdminFailure e) {
        if ("MINIAPP.VERSION_NOT_FOUND".equals(e.subCode())) {
          return "";
        }
        throw e;
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailure("interrupted");
      }
    }
  }
}
