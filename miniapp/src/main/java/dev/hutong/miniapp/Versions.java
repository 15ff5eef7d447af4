package dev.hutong.miniapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hutong.identity.Tx;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * Versions and their lifecycle (see {@link VersionState} for the allowed steps). Each step locks
 * the version's row, checks the state it is in, changes it and appends a {@link Transition} in
 * one transaction; a step the lifecycle does not allow is refused with
 * {@link MiniappError#TRANSITION_FORBIDDEN} saying which states it needs.
 *
 * <p>{@code actor} names who acts, as the caller knows them ("merchant:&lt;uuid&gt;",
 * "operator:alice", "cli"); it is recorded, not interpreted.
 */
public final class Versions {
  public static final int TESTERS_MAX = 100;
  /** States that at most one version of an app can be in (a partial unique index each). */
  private static final Set<VersionState> SINGLE_SLOTS = EnumSet.of(VersionState.TRIAL,
      VersionState.AUDITING, VersionState.GRAY, VersionState.ONLINE);
  public static final int FINDINGS_MAX = 50;
  public static final int SCREENSHOTS_MAX = 10;
  public static final int NOTE_CHARS_MAX = 1000;
  public static final int ACTOR_CHARS_MAX = 128;
  /** Versions listed per app (the console's page). */
  public static final int LIST_MAX = 200;

  private final Jdbi jdbi;
  private final ContentStore store;
  private final PackageValidator validator;
  private final AppEvents events;
  private final Clock clock;

  public Versions(Jdbi jdbi, ContentStore store, PackageValidator validator, AppEvents events,
      Clock clock) {
    this.jdbi = jdbi;
    this.store = store;
    this.validator = validator;
    this.events = events;
    this.clock = clock;
  }

  // --- Upload ---------------------------------------------------------------------------------

  /** Validates a zip and uploads it as a develop version; see {@link #upload(String, SemVer, ValidatedPackage, String)}. */
  public Version upload(String appId, SemVer version, InputStream zip, String actor) {
    ValidatedPackage pkg;
    try {
      pkg = validator.validate(zip);
    } catch (PackageRejectedException e) {
      throw e.asMiniappException();
    }
    return upload(appId, version, pkg, actor);
  }

  /**
   * Stores a validated package as version {@code version} in DEVELOP. The number must be above
   * every version the app has, or equal to one still in DEVELOP, whose files are then replaced
   * (what {@code hutong miniapp dev} does on every change). Files go to the content store first:
   * a failure after that leaves unreferenced objects, never a version without its files.
   */
  public Version upload(String appId, SemVer version, ValidatedPackage pkg, String actor) {
    String who = actor(actor);
    App app = Tx.read(jdbi, h -> Apps.find(h, appId)).orElseThrow(() -> Apps.notFound(appId));
    PackageManifest m = pkg.manifest();
    if (app.kind() == AppKind.INSTANCE) {
      throw new MiniappException(MiniappError.NOT_A_TEMPLATE, "app " + appId + " is an instance"
          + " of template " + app.templateAppId() + "; its code comes from the template:"
          + " upgrade it with Templates.upgrade instead of uploading a package");
    }
    if (app.kind() == AppKind.TEMPLATE && m.extSchema().isEmpty()) {
      throw new MiniappException(MiniappError.PACKAGE_INVALID, "app " + appId + " is a template:"
          + " its package needs " + PackageValidator.EXT_SCHEMA + " (the JSON Schema of an"
          + " instance's ext)");
    }
    if (app.kind() == AppKind.APP && m.extSchema().isPresent()) {
      throw new MiniappException(MiniappError.PACKAGE_INVALID, "app " + appId + " is not a"
          + " template, so its package must not contain " + PackageValidator.EXT_SCHEMA
          + "; remove it, or create a template app");
    }
    for (PackageFile f : m.files()) {
      store.put(f.sha256(), pkg.contents().get(f.path()));
    }
    Instant now = clock.instant();
    Tx.run(jdbi, h -> {
      Optional<Row> existing = lockRow(h, appId, version);
      if (existing.isPresent()) {
        Row row = existing.get();
        if (row.state() != VersionState.DEVELOP) {
          throw new MiniappException(MiniappError.VERSION_NUMBER_INVALID, "version " + version
              + " of app " + appId + " is " + row.state() + "; only a DEVELOP version can be"
              + " re-uploaded: upload a higher version number");
        }
        h.createUpdate("DELETE FROM miniapp_file WHERE app_id = :a AND version = :v")
            .bind("a", appId).bind("v", version.toString()).execute();
        h.createUpdate("UPDATE miniapp_version SET app_json = CAST(:j AS jsonb), ext_schema ="
                + " CAST(:s AS jsonb), main_bytes = :mb, total_bytes = :tb, file_count = :fc,"
                + " updated_at = :at WHERE app_id = :a AND version = :v")
            .bind("j", Json.write(m.appJson()))
            .bind("s", m.extSchema().map(Json::write).orElse(null))
            .bind("mb", m.mainBytes()).bind("tb", m.totalBytes()).bind("fc", m.files().size())
            .bind("at", Tx.at(now)).bind("a", appId).bind("v", version.toString()).execute();
        insertFiles(h, appId, version, m.files());
        record(h, appId, version, VersionState.DEVELOP, VersionState.DEVELOP, who,
            "files replaced (" + m.files().size() + " files, " + m.totalBytes() + " bytes)", now);
        return null;
      }
      requireAboveAll(h, appId, version);
      h.createUpdate("INSERT INTO miniapp_version (app_id, version, major, minor, patch, state,"
              + " app_json, ext_schema, main_bytes, total_bytes, file_count, created_by,"
              + " created_at, updated_at) VALUES (:a, :v, :ma, :mi, :pa, 'DEVELOP',"
              + " CAST(:j AS jsonb), CAST(:s AS jsonb), :mb, :tb, :fc, :by, :at, :at)")
          .bind("a", appId).bind("v", version.toString()).bind("ma", version.major())
          .bind("mi", version.minor()).bind("pa", version.patch())
          .bind("j", Json.write(m.appJson()))
          .bind("s", m.extSchema().map(Json::write).orElse(null))
          .bind("mb", m.mainBytes()).bind("tb", m.totalBytes()).bind("fc", m.files().size())
          .bind("by", who).bind("at", Tx.at(now)).execute();
      insertFiles(h, appId, version, m.files());
      record(h, appId, version, null, VersionState.DEVELOP, who,
          "uploaded (" + m.files().size() + " files, " + m.totalBytes() + " bytes)", now);
      return null;
    });
    return get(appId, version);
  }

  /**
   * An instance's version: the template version's files (rows only; the objects are shared) and
   * the instance's ext, APPROVED at once because the template version passed review.
   */
  Version createInstanceVersion(Handle h, String appId, SemVer version, Version template,
      JsonNode ext, String who, Instant now) {
    return createInstanceVersion(h, appId, version, template, ext, who, now, false);
  }

  /**
   * As above; a {@code draft} starts in DEVELOP instead, so its ext (name, texts, pictures the
   * merchant typed) goes through review before release: the code is the reviewed template's, the
   * content is not.
   */
  Version createInstanceVersion(Handle h, String appId, SemVer version, Version template,
      JsonNode ext, String who, Instant now, boolean draft) {
    requireAboveAll(h, appId, version);
    h.createUpdate("INSERT INTO miniapp_version (app_id, version, major, minor, patch, state,"
            + " app_json, template_app_id, template_version, ext, main_bytes, total_bytes,"
            + " file_count, approved_at, created_by, created_at, updated_at) VALUES (:a, :v, :ma,"
            + " :mi, :pa, :st, CAST(:j AS jsonb), :ta, :tv, CAST(:ext AS jsonb), :mb,"
            + " :tb, :fc, :ap, :by, :at, :at)")
        .bind("st", draft ? "DEVELOP" : "APPROVED").bind("ap", draft ? null : Tx.at(now))
        .bind("a", appId).bind("v", version.toString()).bind("ma", version.major())
        .bind("mi", version.minor()).bind("pa", version.patch())
        .bind("j", Json.write(template.appJson())).bind("ta", template.appId())
        .bind("tv", template.version().toString()).bind("ext", Json.write(ext))
        .bind("mb", template.mainBytes()).bind("tb", template.totalBytes())
        .bind("fc", template.fileCount()).bind("at", Tx.at(now)).bind("by", who).execute();
    h.createUpdate("INSERT INTO miniapp_file (app_id, version, path, sha256, size_bytes,"
            + " content_type) SELECT :a, :v, path, sha256, size_bytes, content_type FROM"
            + " miniapp_file WHERE app_id = :ta AND version = :tv")
        .bind("a", appId).bind("v", version.toString()).bind("ta", template.appId())
        .bind("tv", template.version().toString()).execute();
    record(h, appId, version, null, draft ? VersionState.DEVELOP : VersionState.APPROVED, who,
        "instance of template " + template.appId() + " " + template.version() + (draft
            ? "; its ext goes to review" : "; review inherited from it"), now);
    return version(h, appId, version).orElseThrow();
  }

  private void requireAboveAll(Handle h, String appId, SemVer version) {
    Optional<SemVer> highest = h.createQuery("SELECT version FROM miniapp_version WHERE app_id"
            + " = :a ORDER BY major DESC, minor DESC, patch DESC LIMIT 1")
        .bind("a", appId).mapTo(String.class).findOne().map(SemVer::parse);
    if (highest.isPresent() && version.compareTo(highest.get()) <= 0) {
      throw new MiniappException(MiniappError.VERSION_NUMBER_INVALID, "version " + version
          + " is not above " + highest.get() + ", the highest version of app " + appId
          + "; versions strictly increase: use " + new SemVer(highest.get().major(),
              highest.get().minor(), highest.get().patch() + 1) + " or higher");
    }
  }

  private static void insertFiles(Handle h, String appId, SemVer version, List<PackageFile> files) {
    PreparedBatch batch = h.prepareBatch("INSERT INTO miniapp_file (app_id, version, path, sha256,"
        + " size_bytes, content_type) VALUES (:a, :v, :p, :s, :n, :t)");
    for (PackageFile f : files) {
      batch.bind("a", appId).bind("v", version.toString()).bind("p", f.path())
          .bind("s", f.sha256()).bind("n", f.sizeBytes()).bind("t", f.contentType()).add();
    }
    if (!files.isEmpty()) {
      batch.execute();
    }
  }

  // --- Trial and review -----------------------------------------------------------------------

  /** DEVELOP → TRIAL, or new testers for a TRIAL version: only these users get it. */
  public Version startTrial(String appId, SemVer version, Collection<UUID> testers,
      String actor) {
    Set<UUID> unique = new LinkedHashSet<>(testers);
    if (unique.isEmpty() || unique.size() > TESTERS_MAX || unique.contains(null)) {
      throw Apps.invalid("a trial needs 1-" + TESTERS_MAX + " tester user ids, got "
          + unique.size());
    }
    return step(appId, version, "start a trial", EnumSet.of(VersionState.DEVELOP,
        VersionState.TRIAL), VersionState.TRIAL, actor, unique.size() + " testers", (h, row) -> {
          h.createUpdate("DELETE FROM miniapp_version_tester WHERE app_id = :a AND version = :v")
              .bind("a", appId).bind("v", version.toString()).execute();
          PreparedBatch b = h.prepareBatch("INSERT INTO miniapp_version_tester (app_id, version,"
              + " user_id) VALUES (:a, :v, :u)");
          for (UUID u : unique) {
            b.bind("a", appId).bind("v", version.toString()).bind("u", Tx.uuid(u)).add();
          }
          b.execute();
        }, null);
  }

  /** TRIAL or REJECTED → DEVELOP. */
  public Version returnToDevelop(String appId, SemVer version, String actor) {
    return step(appId, version, "return to develop", EnumSet.of(VersionState.TRIAL,
        VersionState.REJECTED), VersionState.DEVELOP, actor, "returned to develop", null, null);
  }

  /** DEVELOP or TRIAL → AUDITING, with what the operators need to review it. */
  public Version submitAudit(String appId, SemVer version, AuditSubmission submission,
      String actor) {
    if (submission == null) {
      throw Apps.invalid("an audit submission needs a description, a category and screenshots");
    }
    String description = Apps.text(submission.description(), "audit description", 1, 2000);
    String category = submission.category() == null ? "" : submission.category().strip();
    if (!Categories.isKnown(category)) {
      throw Apps.invalid("unknown audit category \"" + category + "\"; use one of "
          + Categories.slugs());
    }
    List<String> shots = submission.screenshots() == null ? List.of() : submission.screenshots();
    if (shots.size() > SCREENSHOTS_MAX) {
      throw Apps.invalid("at most " + SCREENSHOTS_MAX + " screenshots, got " + shots.size());
    }
    List<String> screenshots = shots.stream().map(s -> Apps.text(s, "screenshot", 1, 500))
        .toList();
    return step(appId, version, "submit for audit", EnumSet.of(VersionState.DEVELOP,
        VersionState.TRIAL), VersionState.AUDITING, actor, "submitted for review", null, u -> u
        .define("set", ", audit_description = :d, audit_category = :c, audit_screenshots ="
            + " CAST(:s AS jsonb), findings = NULL")
        .bind("d", description).bind("c", category).bind("s", Json.write(screenshots)));
  }

  /** AUDITING → DEVELOP: the developer withdraws the submission. */
  public Version cancelAudit(String appId, SemVer version, String actor) {
    return step(appId, version, "cancel the audit", EnumSet.of(VersionState.AUDITING),
        VersionState.DEVELOP, actor, "audit cancelled", null, null);
  }

  /** AUDITING → APPROVED (an operator). */
  public Version approve(String appId, SemVer version, String operator, String note) {
    String n = note == null || note.isBlank() ? "approved" : Apps.text(note, "note", 1,
        NOTE_CHARS_MAX);
    return step(appId, version, "approve", EnumSet.of(VersionState.AUDITING),
        VersionState.APPROVED, operator, n, null, u -> u.define("set", ", approved_at = :now"));
  }

  /** AUDITING → REJECTED with one finding per problem, each naming a file and a rule. */
  public Version reject(String appId, SemVer version, String operator, List<Finding> findings) {
    if (findings == null || findings.isEmpty() || findings.size() > FINDINGS_MAX) {
      throw Apps.invalid("a rejection needs 1-" + FINDINGS_MAX + " findings (file, rule, what to"
          + " change), got " + (findings == null ? 0 : findings.size()));
    }
    List<Finding> valid = findings.stream().map(f -> new Finding(
        Apps.text(f.file(), "finding file", 1, 255), Apps.text(f.rule(), "finding rule", 1, 100),
        Apps.text(f.reason(), "finding reason", 1, NOTE_CHARS_MAX))).toList();
    return step(appId, version, "reject", EnumSet.of(VersionState.AUDITING),
        VersionState.REJECTED, operator, valid.size() + " findings: " + valid.stream()
            .map(f -> f.file() + " [" + f.rule() + "]").collect(Collectors.joining(", ")), null,
        u -> u.define("set", ", findings = CAST(:f AS jsonb)").bind("f", Json.write(valid)));
  }

  // --- Release --------------------------------------------------------------------------------

  /** APPROVED → GRAY: users whose stable hash falls under {@code percent} get this version. */
  public Version startGray(String appId, SemVer version, int percent, String actor) {
    requirePercent(percent);
    return step(appId, version, "start a gray release", EnumSet.of(VersionState.APPROVED),
        VersionState.GRAY, actor, percent + "% of users", (h, row) -> requireAboveOnline(h,
            appId, version), u -> u.define("set", ", gray_percent = :p").bind("p", percent));
  }

  /** GRAY → GRAY with a larger percentage (the users already in stay in). */
  public Version widenGray(String appId, SemVer version, int percent, String actor) {
    requirePercent(percent);
    return step(appId, version, "widen the gray release", EnumSet.of(VersionState.GRAY),
        VersionState.GRAY, actor, "widened to " + percent + "% of users", (h, row) -> {
          if (percent <= row.grayPercent()) {
            throw new MiniappException(MiniappError.INVALID_ARGUMENT, "the gray release of "
                + appId + " " + version + " is at " + row.grayPercent() + "%; widening needs a"
                + " larger percentage (to go back, cancel the gray release)");
          }
        }, u -> u.define("set", ", gray_percent = :p").bind("p", percent));
  }

  /** GRAY → APPROVED: everyone gets the online version again. */
  public Version cancelGray(String appId, SemVer version, String actor) {
    return step(appId, version, "cancel the gray release", EnumSet.of(VersionState.GRAY),
        VersionState.APPROVED, actor, "gray release cancelled", null,
        u -> u.define("set", ", gray_percent = NULL"));
  }

  /** APPROVED or GRAY → ONLINE for everyone; the version online before goes OFFLINE. */
  public Version release(String appId, SemVer version, String actor) {
    Version v = step(appId, version, "release", EnumSet.of(VersionState.APPROVED,
        VersionState.GRAY), VersionState.ONLINE, actor, "released", (h, row) -> {
          Optional<Row> online = onlineRow(h, appId);
          requireAboveOnline(h, appId, version);
          if (online.isPresent()) {
            move(h, online.get(), VersionState.OFFLINE, actor(actor), "superseded by "
                + version, null);
          }
          setAppStatus(h, appId, AppStatus.ONLINE);
        }, u -> u.define("set", ", gray_percent = NULL, online_at = :now"));
    events.online(appId);
    return v;
  }

  /**
   * ONLINE → ROLLBACK for the current version, and the version online before it back to ONLINE,
   * in one transaction: every user gets the previous version at once.
   */
  public Version rollback(String appId, String actor) {
    String who = actor(actor);
    SemVer restored = Tx.run(jdbi, h -> {
      Row current = onlineRow(h, appId).orElseThrow(() -> new MiniappException(
          MiniappError.TRANSITION_FORBIDDEN, "app " + appId + " has no online version to roll"
              + " back"));
      lockRow(h, appId, current.version());
      Row previous = h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a AND state ="
              + " 'OFFLINE' AND online_at IS NOT NULL ORDER BY online_at DESC, major DESC, minor"
              + " DESC, patch DESC LIMIT 1 FOR UPDATE")
          .bind("a", appId).map(Versions::row).findOne()
          .orElseThrow(() -> new MiniappException(MiniappError.TRANSITION_FORBIDDEN, "app "
              + appId + " has no earlier online version to roll back to; take "
              + current.version() + " offline instead, or release a fixed version"));
      move(h, current, VersionState.ROLLBACK, who, "rolled back to " + previous.version(), null);
      move(h, previous, VersionState.ONLINE, who, "restored by rolling back "
          + current.version(), u -> u.define("set", ", online_at = :now"));
      return previous.version();
    });
    events.online(appId);
    return get(appId, restored);
  }

  /** ONLINE → OFFLINE: nobody can open the app until a version is released again. */
  public Version offline(String appId, SemVer version, String actor) {
    Version v = step(appId, version, "take offline", EnumSet.of(VersionState.ONLINE),
        VersionState.OFFLINE, actor, "taken offline",
        (h, row) -> setAppStatus(h, appId, AppStatus.OFFLINE), null);
    events.offline(appId);
    return v;
  }

  private void requireAboveOnline(Handle h, String appId, SemVer version) {
    Optional<Row> online = onlineRow(h, appId);
    if (online.isPresent() && version.compareTo(online.get().version()) <= 0) {
      throw new MiniappException(MiniappError.TRANSITION_FORBIDDEN, "version " + version
          + " is not above " + online.get().version() + ", which is online; release a higher"
          + " version (to return to an older one, roll back)");
    }
  }

  private static void requirePercent(int percent) {
    if (percent < 1 || percent > 99) {
      throw Apps.invalid("a gray percentage is 1-99 (100 is a release), got " + percent);
    }
  }

  private void setAppStatus(Handle h, String appId, AppStatus status) {
    h.createUpdate("UPDATE miniapp_app SET status = :s, updated_at = :at WHERE app_id = :a")
        .bind("s", status.name()).bind("at", Tx.at(clock.instant())).bind("a", appId).execute();
  }

  // --- The step machinery ---------------------------------------------------------------------

  @FunctionalInterface
  private interface Check {
    void run(Handle h, Row row);
  }

  @FunctionalInterface
  private interface Customize {
    Update apply(Update update);
  }

  private Version step(String appId, SemVer version, String what, Set<VersionState> from,
      VersionState to, String actor, String note, Check check, Customize customize) {
    String who = actor(actor);
    Tx.run(jdbi, h -> {
      Row row = lockRow(h, appId, version).orElseThrow(() -> versionNotFound(appId, version));
      if (!from.contains(row.state())) {
        throw forbidden(appId, version, what, row.state(), from);
      }
      if (check != null) {
        check.run(h, row);
      }
      move(h, row, to, who, note, customize);
      return null;
    });
    return get(appId, version);
  }

  private void move(Handle h, Row row, VersionState to, String who, String note,
      Customize customize) {
    Instant now = clock.instant();
    if (SINGLE_SLOTS.contains(to) && to != row.state()) {
      Optional<String> occupant = h.createQuery("SELECT version FROM miniapp_version WHERE app_id"
              + " = :a AND state = :s").bind("a", row.appId()).bind("s", to.name())
          .mapTo(String.class).findOne();
      if (occupant.isPresent()) {
        throw slotTaken(row.appId(), to, "version " + occupant.get() + " is " + to);
      }
    }
    Update u = h.createUpdate("UPDATE miniapp_version SET state = :to, updated_at = :now <set>"
            + " WHERE app_id = :a AND version = :v AND state = :from")
        .define("set", "").bind("to", to.name()).bind("now", Tx.at(now))
        .bind("a", row.appId()).bind("v", row.version().toString())
        .bind("from", row.state().name());
    if (customize != null) {
      u = customize.apply(u);
    }
    try {
      if (u.execute() != 1) {
        throw new IllegalStateException("version row changed under its lock: " + row);
      }
    } catch (RuntimeException e) {
      if (Tx.isUniqueViolation(e)) {
        throw slotTaken(row.appId(), to, "another version just took it; retry");
      }
      throw e;
    }
    record(h, row.appId(), row.version(), row.state(), to, who, note, now);
  }

  private static MiniappException slotTaken(String appId, VersionState state, String who) {
    String what = switch (state) {
      case TRIAL -> "return it to develop or submit it for audit";
      case AUDITING -> "wait for its review or cancel the audit";
      case GRAY -> "release it or cancel its gray release";
      default -> "take it offline";
    };
    return new MiniappException(MiniappError.SLOT_TAKEN, "app " + appId + " can have one version"
        + " in " + state + " at a time and " + who + ": " + what + " first");
  }

  private static void record(Handle h, String appId, SemVer version, VersionState from,
      VersionState to, String who, String note, Instant at) {
    h.createUpdate("INSERT INTO miniapp_version_transition (app_id, version, ordinal, from_state,"
            + " to_state, actor, note, at) SELECT :a, :v, COALESCE(MAX(ordinal), 0) + 1, :f, :t,"
            + " :who, :note, :at FROM miniapp_version_transition WHERE app_id = :a AND version ="
            + " :v")
        .bind("a", appId).bind("v", version.toString())
        .bind("f", from == null ? null : from.name()).bind("t", to.name()).bind("who", who)
        .bind("note", note.length() > NOTE_CHARS_MAX ? note.substring(0, NOTE_CHARS_MAX) : note)
        .bind("at", Tx.at(at)).execute();
  }

  private static MiniappException forbidden(String appId, SemVer version, String what,
      VersionState state, Set<VersionState> from) {
    String hint = switch (state) {
      case AUDITING -> " (it is waiting for review: cancel the audit to change it)";
      case REJECTED -> " (fix the findings: return it to develop or upload a higher version)";
      case ONLINE -> " (it is online: release a higher version, roll back or take it offline)";
      case ROLLBACK, OFFLINE -> " (upload a higher version)";
      default -> "";
    };
    return new MiniappException(MiniappError.TRANSITION_FORBIDDEN, "cannot " + what + ": version "
        + version + " of app " + appId + " is " + state + ", and that needs it to be "
        + from.stream().map(Enum::name).collect(Collectors.joining(" or ")) + hint);
  }

  static MiniappException versionNotFound(String appId, SemVer version) {
    return new MiniappException(MiniappError.VERSION_NOT_FOUND, "app " + appId
        + " has no version " + version);
  }

  static String actor(String actor) {
    return Apps.text(actor, "actor", 1, ACTOR_CHARS_MAX);
  }

  // --- Reads ----------------------------------------------------------------------------------

  public Optional<Version> find(String appId, SemVer version) {
    return Tx.read(jdbi, h -> version(h, appId, version));
  }

  /** The version, or {@link MiniappError#VERSION_NOT_FOUND}. */
  public Version get(String appId, SemVer version) {
    return find(appId, version).orElseThrow(() -> versionNotFound(appId, version));
  }

  /** The app's versions, newest first. */
  public List<Version> list(String appId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a"
            + " ORDER BY major DESC, minor DESC, patch DESC LIMIT " + LIST_MAX)
        .bind("a", appId).map(Versions::mapVersion).list());
  }

  public Optional<Version> online(String appId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a AND"
            + " state = 'ONLINE'").bind("a", appId).map(Versions::mapVersion).findOne());
  }

  /** Every recorded step of a version, oldest first. */
  public List<Transition> history(String appId, SemVer version) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM miniapp_version_transition WHERE"
            + " app_id = :a AND version = :v ORDER BY ordinal")
        .bind("a", appId).bind("v", version.toString())
        .map((rs, ctx) -> new Transition(rs.getString("app_id"),
            SemVer.parse(rs.getString("version")), rs.getInt("ordinal"),
            rs.getString("from_state") == null ? null
                : VersionState.valueOf(rs.getString("from_state")),
            VersionState.valueOf(rs.getString("to_state")), rs.getString("actor"),
            rs.getString("note"), Tx.instant(rs, "at")))
        .list());
  }

  public Set<UUID> testers(String appId, SemVer version) {
    return Tx.read(jdbi, h -> new LinkedHashSet<>(h.createQuery("SELECT user_id FROM"
            + " miniapp_version_tester WHERE app_id = :a AND version = :v ORDER BY user_id")
        .bind("a", appId).bind("v", version.toString()).mapTo(UUID.class).list()));
  }

  /** The version's files, by path. */
  public List<PackageFile> files(String appId, SemVer version) {
    return Tx.read(jdbi, h -> files(h, appId, version.toString()));
  }

  static List<PackageFile> files(Handle h, String appId, String version) {
    return h.createQuery("SELECT path, sha256, size_bytes, content_type FROM miniapp_file WHERE"
            + " app_id = :a AND version = :v ORDER BY path")
        .bind("a", appId).bind("v", version)
        .map((rs, ctx) -> new PackageFile(rs.getString("path"), rs.getString("sha256"),
            rs.getLong("size_bytes"), rs.getString("content_type")))
        .list();
  }

  /** One file of a version (what the content origin serves), with its object in the store. */
  public Optional<PackageFile> file(String appId, SemVer version, String path) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT path, sha256, size_bytes, content_type FROM"
            + " miniapp_file WHERE app_id = :a AND version = :v AND path = :p")
        .bind("a", appId).bind("v", version.toString()).bind("p", path)
        .map((rs, ctx) -> new PackageFile(rs.getString("path"), rs.getString("sha256"),
            rs.getLong("size_bytes"), rs.getString("content_type")))
        .findOne());
  }

  public ContentStore store() {
    return store;
  }

  static Optional<Version> version(Handle h, String appId, SemVer version) {
    return h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a AND version = :v")
        .bind("a", appId).bind("v", version.toString()).map(Versions::mapVersion).findOne();
  }

  /** The columns a step needs. */
  record Row(String appId, SemVer version, VersionState state, int grayPercent) {}

  private static Optional<Row> lockRow(Handle h, String appId, SemVer version) {
    return h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a AND version = :v"
            + " FOR UPDATE")
        .bind("a", appId).bind("v", version.toString()).map(Versions::row).findOne();
  }

  private static Optional<Row> onlineRow(Handle h, String appId) {
    return h.createQuery("SELECT * FROM miniapp_version WHERE app_id = :a AND state = 'ONLINE'"
            + " FOR UPDATE").bind("a", appId).map(Versions::row).findOne();
  }

  private static Row row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Row(rs.getString("app_id"), SemVer.parse(rs.getString("version")),
        VersionState.valueOf(rs.getString("state")), rs.getInt("gray_percent"));
  }

  static Version mapVersion(ResultSet rs, StatementContext ctx) throws SQLException {
    try {
      String screenshots = rs.getString("audit_screenshots");
      AuditSubmission audit = rs.getString("audit_description") == null ? null
          : new AuditSubmission(rs.getString("audit_description"),
              rs.getString("audit_category"), screenshots == null ? List.of()
                  : Json.MAPPER.readValue(screenshots, new TypeReference<List<String>>() {}));
      String findings = rs.getString("findings");
      String templateVersion = rs.getString("template_version");
      return new Version(rs.getString("app_id"), SemVer.parse(rs.getString("version")),
          VersionState.valueOf(rs.getString("state")), tree(rs.getString("app_json")),
          tree(rs.getString("ext_schema")), rs.getString("template_app_id"),
          templateVersion == null ? null : SemVer.parse(templateVersion), tree(rs.getString("ext")),
          rs.getLong("main_bytes"), rs.getLong("total_bytes"), rs.getInt("file_count"),
          rs.getInt("gray_percent"), audit, findings == null ? List.of()
              : Json.MAPPER.readValue(findings, new TypeReference<List<Finding>>() {}),
          Tx.instant(rs, "approved_at"), Tx.instant(rs, "online_at"), rs.getString("created_by"),
          Tx.instant(rs, "created_at"), Tx.instant(rs, "updated_at"));
    } catch (JsonProcessingException e) {
      throw new SQLException("bad JSON in miniapp_version", e);
    }
  }

  private static JsonNode tree(String json) throws JsonProcessingException {
    return json == null ? null : Json.MAPPER.readTree(json);
  }

  /** For the review queue: versions in a state, oldest update first. */
  static List<Version> inState(Handle h, VersionState state, int limit) {
    return h.createQuery("SELECT * FROM miniapp_version WHERE state = :s ORDER BY updated_at,"
            + " app_id LIMIT :n")
        .bind("s", state.name()).bind("n", limit).map(Versions::mapVersion).list();
  }

  static List<String> collect(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
