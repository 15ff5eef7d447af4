package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks an uploaded mini-program package and unpacks it, reporting every rule it breaks with the
 * file, the rule and what to do (DESIGN §6).
 *
 * <p>The zip is read by this class, not by {@code java.util.zip.ZipFile}: the central directory is
 * parsed here so that the entry types (symlinks live only in the central directory's external
 * attributes), name encodings and overlapping entries can be checked, and every entry is inflated
 * with a bound on the bytes it may produce. Declared sizes are never trusted: the limits apply to
 * the bytes actually inflated, and a declared size that differs from the real one is an error.
 */
public final class PackageValidator {
  public static final String APP_JSON = "app.json";
  public static final String EXT_SCHEMA = "ext.schema.json";

  /**
   * Scopes a package may ask for, each with the bridge API it unlocks; the shell asks the user
   * before the first use and shows the package's purpose text.
   */
  public static final Map<String, String> KNOWN_SCOPES = Map.of(
      "scope.userLocation", "my.getLocation",
      "scope.camera", "my.scan",
      "scope.userInfo", "my.getAuthCode with scopes auth_user");

  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int LOCAL_SIGNATURE = 0x04034b50;
  private static final int EOCD_BYTES = 22;
  private static final int CENTRAL_HEADER_BYTES = 46;
  private static final int LOCAL_HEADER_BYTES = 30;
  private static final int COMMENT_BYTES_MAX = 0xFFFF;
  private static final int METHOD_STORED = 0;
  private static final int METHOD_DEFLATED = 8;
  private static final int FLAG_ENCRYPTED = 1;
  private static final int HOST_UNIX = 3;
  private static final int HOST_OSX = 19;
  private static final int MODE_TYPE_MASK = 0xF000;
  private static final int MODE_REGULAR = 0x8000;
  private static final int MODE_DIRECTORY = 0x4000;
  private static final int MODE_SYMLINK = 0xA000;
  private static final int INFLATE_CHUNK_BYTES = 64 * 1024;
  /** Characters that are not portable in file names (Windows refuses them, shells mangle them). */
  private static final Pattern UNPORTABLE = Pattern.compile("[\\x00-\\x1f\\x7f:*?\"<>|]");
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
  private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final PackageLimits limits;

  public PackageValidator() {
    this(PackageLimits.defaults());
  }

  public PackageValidator(PackageLimits limits) {
    this.limits = limits;
  }

  public PackageLimits limits() {
    return limits;
  }

  /**
   * Reads the zip (at most {@link PackageLimits#archiveBytesMax()} bytes; more is a rejection, the
   * rest of the stream is left unread) and validates it.
   */
  public ValidatedPackage validate(InputStream zip) {
    byte[] bytes;
    try {
      bytes = zip.readNBytes(Math.toIntExact(limits.archiveBytesMax() + 1));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the package", e);
    }
    if (bytes.length > limits.archiveBytesMax()) {
      throw new PackageRejectedException(List.of(new PackageProblem(PackageProblem.ARCHIVE,
          "archive-size", "the zip is larger than " + limits.archiveBytesMax()
              + " bytes; packages unpack to at most " + limits.totalBytesMax()
              + " bytes, so remove unused assets or compress images")));
    }
    return validate(bytes);
  }

  /** Validates a zip held in memory; throws {@link PackageRejectedException} listing every problem. */
  public ValidatedPackage validate(byte[] zip) {
    Run run = new Run(zip);
    ValidatedPackage result = run.validate();
    if (!run.problems.isEmpty()) {
      throw new PackageRejectedException(run.problems);
    }
    return result;
  }

  /** Every problem of a zip, empty when it is valid (for {@code hutong miniapp pack}). */
  public List<PackageProblem> problems(byte[] zip) {
    try {
      validate(zip);
      return List.of();
    } catch (PackageRejectedException e) {
      return e.problems();
    }
  }

  /** An entry of the central directory. */
  private record Entry(byte[] nameBytes, String name, boolean nameIsUtf8, int madeBy, int flags,
      int method, long crc, long compressedBytes, long declaredBytes, long externalAttributes,
      long localOffset) {
    boolean isDirectory() {
      return name.endsWith("/");
    }
  }

  /** Stops the run: nothing useful can be checked after this problem. */
  private static final class Fatal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fatal() {
      super(null, null, false, false);
    }
  }

  /** One validation: the zip, the problems found so far, the unpacked files. */
  private final class Run {
    final byte[] zip;
    final List<PackageProblem> problems = new ArrayList<>();
    final Map<String, byte[]> contents = new TreeMap<>();
    long inflatedBytes;

    Run(byte[] zip) {
      this.zip = zip;
    }

    void problem(String file, String rule, String message) {
      problems.add(new PackageProblem(file, rule, message));
    }

    Fatal fatal(String file, String rule, String message) {
      problem(file, rule, message);
      return new Fatal();
    }

    ValidatedPackage validate() {
      try {
        List<Entry> entries = centralDirectory();
        List<Entry> files = checkNames(entries);
        checkLayout(entries);
        for (Entry e : files) {
          byte[] data = unpack(e);
          if (data != null) {
            contents.put(e.name(), data);
          }
        }
        if (!problems.isEmpty()) {
          return null;
        }
        return checkContents();
      } catch (Fatal stop) {
        return null;
      }
    }

    // --- The archive's structure -------------------------------------------------------------

    List<Entry> centralDirectory() {
      String rebuild = "re-create it with `hutong miniapp pack` or `zip -r -X app.zip .`";
      if (zip.length < EOCD_BYTES) {
        throw fatal(PackageProblem.ARCHIVE, "not-a-zip", "the upload is not a zip file; "
            + rebuild);
      }
      int eocd = -1;
      int lowest = Math.max(0, zip.length - EOCD_BYTES - COMMENT_BYTES_MAX);
      for (int i = zip.length - EOCD_BYTES; i >= lowest; i--) {
        if (u32(i) == EOCD_SIGNATURE && i + EOCD_BYTES + u16(i + 20) <= zip.length) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) {
        throw fatal(PackageProblem.ARCHIVE, "not-a-zip", "no zip end record found: the upload is"
            + " not a zip file or is truncated; " + rebuild);
      }
      if (eocd >= 20 && u32(eocd - 20) == ZIP64_LOCATOR_SIGNATURE) {
        throw fatal(PackageProblem.ARCHIVE, "zip64", "ZIP64 archives are not accepted (a package"
            + " is at most " + limits.totalBytesMax() + " bytes and needs none); " + rebuild);
      }
      int disk = u16(eocd + 4);
      int cdDisk = u16(eocd + 6);
      int entriesOnDisk = u16(eocd + 8);
      int entries = u16(eocd + 10);
      long cdBytes = u32(eocd + 12);
      long cdOffset = u32(eocd + 16);
      if (disk != 0 || cdDisk != 0 || entriesOnDisk != entries) {
        throw fatal(PackageProblem.ARCHIVE, "multi-disk", "split (multi-volume) zips are not"
            + " accepted; make one zip file");
      }
      if (entries == 0xFFFF || cdBytes == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
        throw fatal(PackageProblem.ARCHIVE, "zip64", "ZIP64 archives are not accepted; "
            + rebuild);
      }
      if (entries > limits.entriesMax()) {
        throw fatal(PackageProblem.ARCHIVE, "too-many-entries", "the zip has " + entries
            + " entries; at most " + limits.entriesMax() + " are allowed: bundle small files"
            + " together or remove unused ones");
      }
      if (entries == 0) {
        throw fatal(PackageProblem.ARCHIVE, "empty", "the zip is empty; it needs at least "
            + APP_JSON + " and the page files");
      }
      if (cdOffset + cdBytes > eocd) {
        throw fatal(PackageProblem.ARCHIVE, "corrupt", "the zip's central directory lies outside"
            + " the file; " + rebuild);
      }
      List<Entry> out = new ArrayList<>(entries);
      int p = (int) cdOffset;
      int end = (int) (cdOffset + cdBytes);
      for (int i = 0; i < entries; i++) {
        if (p + CENTRAL_HEADER_BYTES > end || u32(p) != CENTRAL_SIGNATURE) {
          throw fatal(PackageProblem.ARCHIVE, "corrupt", "central directory entry " + (i + 1)
              + " is damaged; " + rebuild);
        }
        int nameLength = u16(p + 28);
        int extraLength = u16(p + 30);
        int commentLength = u16(p + 32);
        if (p + CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength > end) {
          throw fatal(PackageProblem.ARCHIVE, "corrupt", "central directory entry " + (i + 1)
              + " runs past the directory; " + rebuild);
        }
        byte[] nameBytes = Arrays.copyOfRange(zip, p + CENTRAL_HEADER_BYTES,
            p + CENTRAL_HEADER_BYTES + nameLength);
        String name;
        boolean utf8 = true;
        try {
          name = StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(nameBytes)).toString();
        } catch (CharacterCodingException e) {
          name = new String(nameBytes, StandardCharsets.UTF_8);
          utf8 = false;
        }
        out.add(new Entry(nameBytes, name, utf8, u16(p + 4), u16(p + 8), u16(p + 10),
            u32(p + 16), u32(p + 20), u32(p + 24), u32(p + 38), u32(p + 42)));
        p += CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
      }
      return out;
    }

    /** Names, types and duplicates; returns the regular files worth unpacking. */
    List<Entry> checkNames(List<Entry> entries) {
      List<Entry> files = new ArrayList<>();
      Map<String, String> exact = new HashMap<>();
      Map<String, String> folded = new HashMap<>();
      for (Entry e : entries) {
        String name = e.name();
        if (!e.nameIsUtf8()) {
          problem(name, "name-not-utf8", "the entry name is not valid UTF-8; rename the file with"
              + " UTF-8 characters and re-create the zip with a tool that writes UTF-8 names");
          continue;
        }
        if ((e.flags() & FLAG_ENCRYPTED) != 0) {
          problem(name, "encrypted", "the entry is encrypted; make the zip without a password");
          continue;
        }
        int host = e.madeBy() >>> 8;
        int mode = (int) (e.externalAttributes() >>> 16) & MODE_TYPE_MASK;
        if ((host == HOST_UNIX || host == HOST_OSX) && mode == MODE_SYMLINK) {
          problem(name, "symlink", "the entry is a symbolic link; packages hold regular files"
              + " only: copy the file it points to into its place");
          continue;
        }
        if ((host == HOST_UNIX || host == HOST_OSX) && mode != 0 && mode != MODE_REGULAR
            && mode != MODE_DIRECTORY) {
          problem(name, "special-file", "the entry is a device, pipe or socket; remove it");
          continue;
        }
        if (!checkPath(name)) {
          continue;
        }
        if (e.method() != METHOD_STORED && e.method() != METHOD_DEFLATED) {
          problem(name, "compression-method", "the entry uses compression method " + e.method()
              + "; only stored (0) and deflate (8) are accepted: re-create the zip with the"
              + " default settings");
          continue;
        }
        String previous = exact.putIfAbsent(name, name);
        if (previous != null) {
          problem(name, "duplicate-entry", "the zip holds this name more than once; keep one");
          continue;
        }
        String key = Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        String clash = folded.putIfAbsent(key, name);
        if (clash != null) {
          problem(name, "duplicate-entry", "differs from \"" + clash + "\" only by letter case or"
              + " Unicode normalisation, so the two collide on many file systems; rename one");
          continue;
        }
        if (!e.isDirectory()) {
          if (ContentTypes.of(name).isEmpty()) {
            problem(name, "file-type", "files of this type are not allowed; allowed extensions: "
                + ContentTypes.ALLOWED);
            continue;
          }
          files.add(e);
        }
      }
      return files;
    }

    boolean checkPath(String name) {
      if (name.isEmpty()) {
        problem("(unnamed)", "path-segments", "an entry has an empty name; re-create the zip");
        return false;
      }
      if (name.getBytes(StandardCharsets.UTF_8).length > limits.pathBytesMax()) {
        problem(name, "path-too-long", "the path is longer than " + limits.pathBytesMax()
            + " bytes; shorten folder or file names");
        return false;
      }
      if (name.indexOf('\\') >= 0) {
        problem(name, "backslash", "the path contains '\\'; zip paths use '/' as separator:"
            + " re-create the zip with a standard zip tool");
        return false;
      }
      if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
        problem(name, "absolute-path", "the path is absolute; entries must be relative to the"
            + " package root (zip from inside the project directory)");
        return false;
      }
      if (UNPORTABLE.matcher(name).find()) {
        problem(name, "name-characters", "the path contains a control character or one of"
            + " : * ? \" < > |; rename the file");
        return false;
      }
      String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
      for (String segment : path.split("/", -1)) {
        if (segment.equals("..")) {
          problem(name, "path-traversal", "the path contains '..'; entries must stay inside the"
              + " package: remove the entry or move the file into the package");
          return false;
        }
        if (segment.isEmpty() || segment.equals(".")) {
          problem(name, "path-segments", "the path has an empty or '.' segment; use plain"
              + " relative paths like pages/index/index.html");
          return false;
        }
        if (segment.startsWith(".") || segment.equals("__MACOSX")) {
          problem(name, "hidden-file", "hidden files and macOS metadata are not allowed; zip"
              + " without them, e.g. `zip -r -X app.zip . -x '.*' -x '__MACOSX*'`");
          return false;
        }
      }
      return true;
    }

    /** Directory/file clashes and entries that overlap each other (a zip-bomb technique). */
    void checkLayout(List<Entry> entries) {
      Set<String> filePaths = new TreeSet<>();
      Set<String> dirPaths = new TreeSet<>();
      for (Entry e : entries) {
        if (!e.nameIsUtf8()) {
          continue;
        }
        String n = e.name();
        if (e.isDirectory()) {
          dirPaths.add(n.substring(0, n.length() - 1));
        } else {
          filePaths.add(n);
        }
        String path = e.isDirectory() ? n.substring(0, n.length() - 1) : n;
        for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
          dirPaths.add(path.substring(0, i));
        }
      }
      for (String f : filePaths) {
        if (dirPaths.contains(f)) {
          problem(f, "file-directory-clash", "this name is both a file and a directory; rename"
              + " the file or the directory");
        }
      }
      Entry[] byOffset = entries.toArray(Entry[]::new);
      Arrays.sort(byOffset, Comparator.comparingLong(Entry::localOffset));
      for (int i = 0; i < byOffset.length; i++) {
        Entry e = byOffset[i];
        long dataEnd = dataStart(e) + e.compressedBytes();
        if (dataEnd > zip.length) {
          throw fatal(e.name(), "corrupt", "the entry's data runs past the end of the zip; the"
              + " file is truncated: upload it again");
        }
        if (i + 1 < byOffset.length && dataEnd > byOffset[i + 1].localOffset()) {
          throw fatal(e.name(), "overlapping-entries", "the entry overlaps \""
              + byOffset[i + 1].name() + "\" in the archive (a zip-bomb technique); re-create the"
              + " zip with a standard tool");
        }
      }
    }

    /** Where an entry's data begins, after checking its local header agrees with the directory. */
    long dataStart(Entry e) {
      long p = e.localOffset();
      if (p + LOCAL_HEADER_BYTES > zip.length || u32((int) p) != LOCAL_SIGNATURE) {
        throw fatal(e.name(), "corrupt", "the entry's local header is missing or damaged;"
            + " re-create the zip");
      }
      int nameLength = u16((int) p + 26);
      int extraLength = u16((int) p + 28);
      long start = p + LOCAL_HEADER_BYTES + nameLength + extraLength;
      if (start > zip.length || !Arrays.equals(zip, (int) p + LOCAL_HEADER_BYTES,
          (int) p + LOCAL_HEADER_BYTES + nameLength, e.nameBytes(), 0, e.nameBytes().length)) {
        throw fatal(e.name(), "header-mismatch", "the entry's local header names a different"
            + " file than the central directory; re-create the zip with a standard tool");
      }
      return start;
    }

    /** Inflates one file within the remaining budget; null after recording a problem. */
    byte[] unpack(Entry e) {
      int start = (int) dataStart(e);
      int available = (int) Math.min(e.compressedBytes(), zip.length - start);
      long budget = limits.totalBytesMax() - inflatedBytes;
      byte[] data;
      if (e.method() == METHOD_STORED) {
        if (available > budget) {
          throw totalTooLarge(e);
        }
        data = Arrays.copyOfRange(zip, start, start + available);
      } else {
        data = inflate(e, start, available, budget);
      }
      inflatedBytes += data.length;
      if (data.length != e.declaredBytes()) {
        problem(e.name(), "size-mismatch", "the zip declares " + e.declaredBytes()
            + " bytes but the entry unpacks to " + data.length + "; re-create the zip");
        return null;
      }
      CRC32 crc = new CRC32();
      crc.update(data);
      if (crc.getValue() != e.crc()) {
        problem(e.name(), "crc-mismatch", "the entry's checksum does not match its contents:"
            + " the zip is damaged, upload it again");
        return null;
      }
      return data;
    }

    byte[] inflate(Entry e, int start, int available, long budget) {
      Inflater inflater = new Inflater(true);
      try {
        inflater.setInput(zip, start, available);
        byte[] out = new byte[(int) Math.min(budget + 1, Math.max(available * 4L, 1024))];
        int n = 0;
        while (!inflater.finished()) {
          if (n == out.length) {
            if (out.length > budget) {
              throw totalTooLarge(e);
            }
            out = Arrays.copyOf(out, (int) Math.min(budget + 1, (long) out.length * 2));
          }
          int got = inflater.inflate(out, n, Math.min(out.length - n, INFLATE_CHUNK_BYTES));
          n += got;
          if (n > budget) {
            throw totalTooLarge(e);
          }
          long read = Math.max(1, inflater.getBytesRead());
          if (n > limits.ratioFloorBytes() && n > read * limits.compressionRatioMax()) {
            throw fatal(e.name(), "compression-ratio", "the entry expands more than "
                + limits.compressionRatioMax() + " times (a zip bomb?); packages are refused"
                + " when one entry does: remove padding or generated filler from the file");
          }
          if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw fatal(e.name(), "corrupt", "the entry's compressed data is truncated or"
                + " damaged; re-create the zip");
          }
        }
        return Arrays.copyOf(out, n);
      } catch (DataFormatException ex) {
        throw fatal(e.name(), "corrupt", "the entry's compressed data is damaged ("
            + ex.getMessage() + "); re-create the zip");
      } finally {
        inflater.end();
      }
    }

    Fatal totalTooLarge(Entry e) {
      return fatal(e.name(), "total-size", "the package unpacks to more than "
          + limits.totalBytesMax() + " bytes (the limit was passed while unpacking this file);"
          + " remove unused assets, compress images or load large media from your domains");
    }

    // --- Contents: app.json, pages, sizes ------------------------------------------------------

    ValidatedPackage checkContents() {
      byte[] appJsonBytes = contents.get(APP_JSON);
      if (appJsonBytes == null) {
        String nested = contents.keySet().stream().filter(n -> n.endsWith("/" + APP_JSON))
            .findFirst().orElse(null);
        problem(APP_JSON, "app-json-missing", nested == null
            ? "the package has no app.json at its root; add one (see docs/miniapp-guide.md)"
            : "app.json must be at the root of the zip, found " + nested + ": zip from inside"
                + " the project directory, not the directory itself");
        return null;
      }
      JsonNode appJson = parseJson(APP_JSON, appJsonBytes);
      if (appJson == null) {
        return null;
      }
      List<String> violations = JsonSchemas.appJsonViolations(appJson);
      for (String v : violations) {
        problem(APP_JSON, "app-json-schema", v + " (fix app.json; the keys are described in"
            + " docs/miniapp-guide.md)");
      }
      if (!violations.isEmpty()) {
        return null;
      }
      List<String> pages = new ArrayList<>();
      appJson.get("pages").forEach(p -> pages.add(p.asText()));
      List<String> roots = new ArrayList<>();
      JsonNode subPackages = appJson.path("subPackages");
      for (JsonNode sub : subPackages) {
        String root = sub.get("root").asText();
        for (String other : roots) {
          if (root.startsWith(other + "/") || other.startsWith(root + "/") || root.equals(other)) {
            problem(APP_JSON, "sub-package-root", "sub-package roots \"" + other + "\" and \""
                + root + "\" overlap; give each sub-package its own top-level directory");
          }
        }
        roots.add(root);
        sub.get("pages").forEach(p -> pages.add(root + "/" + p.asText()));
      }
      for (String page : new TreeSet<>(pages)) {
        if (pages.indexOf(page) != pages.lastIndexOf(page)) {
          problem(APP_JSON, "page-duplicate", "page \"" + page + "\" is listed twice");
        }
      }
      for (String page : pages) {
        String file = PackageManifest.pageFile(page);
        if (!contents.containsKey(file)) {
          problem(file, "page-missing", "app.json lists page \"" + page + "\" but the package has"
              + " no " + file + "; add the file or remove the page from app.json");
        }
      }
      checkTabBar(appJson.path("tabBar"), pages, roots);
      Map<String, String> permissions = checkPermissions(appJson.path("permission"));
      List<String> domains = checkDomains(appJson.path("domains"));
      Optional<JsonNode> extSchema = checkExtSchema();
      long mainBytes = 0;
      long totalBytes = 0;
      List<Map.Entry<String, byte[]>> mainFiles = new ArrayList<>();
      for (Map.Entry<String, byte[]> f : contents.entrySet()) {
        totalBytes += f.getValue().length;
        if (roots.stream().noneMatch(r -> f.getKey().startsWith(r + "/"))) {
          mainBytes += f.getValue().length;
          mainFiles.add(f);
        }
      }
      if (mainBytes > limits.mainBytesMax()) {
        mainFiles.sort(Comparator.comparingInt(f -> -f.getValue().length));
        String largest = String.join(", ", mainFiles.stream().limit(3)
            .map(f -> f.getKey() + " (" + f.getValue().length + " bytes)").toList());
        problem(PackageProblem.ARCHIVE, "main-package-size", "the main package (files outside"
            + " every subPackages root) is " + mainBytes + " bytes, over the limit of "
            + limits.mainBytesMax() + "; move pages into subPackages or shrink the largest files: "
            + largest);
      }
      if (!problems.isEmpty()) {
        return null;
      }
      List<PackageFile> files = new ArrayList<>();
      for (Map.Entry<String, byte[]> f : contents.entrySet()) {
        files.add(new PackageFile(f.getKey(), sha256(f.getValue()), f.getValue().length,
            ContentTypes.of(f.getKey()).orElseThrow()));
      }
      PackageManifest manifest = new PackageManifest(appJson, List.copyOf(pages),
          List.copyOf(roots), domains, permissions, List.copyOf(files), mainBytes, totalBytes,
          extSchema);
      return new ValidatedPackage(manifest, contents);
    }

    JsonNode parseJson(String file, byte[] bytes) {
      if (bytes.length > limits.appJsonBytesMax()) {
        problem(file, "json-size", file + " is " + bytes.length + " bytes; at most "
            + limits.appJsonBytesMax() + " are allowed");
        return null;
      }
      int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
          && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
      } catch (CharacterCodingException e) {
        problem(file, "json-syntax", file + " is not UTF-8 text; save it as UTF-8");
        return null;
      }
      try {
        return Json.parse(text);
      } catch (IllegalArgumentException e) {
        problem(file, "json-syntax", file + " is not valid JSON: " + e.getMessage());
        return null;
      }
    }

    void checkTabBar(JsonNode tabBar, List<String> pages, List<String> roots) {
      for (JsonNode item : tabBar.path("items")) {
        String page = item.get("pagePath").asText();
        if (!pages.contains(page) || roots.stream().anyMatch(r -> page.startsWith(r + "/"))) {
          problem(APP_JSON, "tabbar-page", "tabBar item \"" + item.get("name").asText()
              + "\" points to \"" + page + "\", which is not a page of the main package; add it to"
              + " \"pages\" or fix pagePath");
        }
        for (String key : List.of("icon", "activeIcon")) {
          if (item.has(key) && !contents.containsKey(item.get(key).asText())) {
            problem(item.get(key).asText(), "tabbar-icon", "tabBar item \""
                + item.get("name").asText() + "\" uses " + key + " \"" + item.get(key).asText()
                + "\", which is not in the package; add the image or fix the path");
          }
        }
      }
    }

    Map<String, String> checkPermissions(JsonNode permission) {
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> scope : permission.properties()) {
        if (!KNOWN_SCOPES.containsKey(scope.getKey())) {
          problem(APP_JSON, "permission-scope", "unknown permission scope \"" + scope.getKey()
              + "\"; the scopes are " + new TreeSet<>(KNOWN_SCOPES.keySet()));
          continue;
        }
        String desc = scope.getValue().get("desc").asText().strip();
        if (desc.isEmpty()) {
          problem(APP_JSON, "permission-desc", "permission \"" + scope.getKey() + "\" needs a"
              + " desc saying why the app needs it; users see it before granting");
          continue;
        }
        out.put(scope.getKey(), desc);
      }
      return out;
    }

    List<String> checkDomains(JsonNode domains) {
      List<String> out = new ArrayList<>();
      for (JsonNode d : domains) {
        String domain = d.asText();
        String why = domainProblem(domain);
        if (why != null) {
          problem(APP_JSON, "domain-format", "domain \"" + domain + "\" " + why + "; write an"
              + " origin like https://api.example.com or https://api.example.com:8443");
        } else {
          out.add(domain);
        }
      }
      return out;
    }

    Optional<JsonNode> checkExtSchema() {
      byte[] bytes = contents.get(EXT_SCHEMA);
      if (bytes == null) {
        return Optional.empty();
      }
      JsonNode schema = parseJson(EXT_SCHEMA, bytes);
      if (schema == null) {
        return Optional.empty();
      }
      JsonSchemas.Compiled compiled = JsonSchemas.compile(schema);
      for (String p : compiled.problems()) {
        problem(EXT_SCHEMA, "ext-schema", p);
      }
      return Optional.of(schema);
    }

    int u16(int at) {
      if (at < 0 || at + 2 > zip.length) {
        throw fatal(PackageProblem.ARCHIVE, "corrupt", "the zip is truncated; upload it again");
      }
      return (zip[at] & 0xFF) | (zip[at + 1] & 0xFF) << 8;
    }

    long u32(int at) {
      if (at < 0 || at + 4 > zip.length) {
        throw fatal(PackageProblem.ARCHIVE, "corrupt", "the zip is truncated; upload it again");
      }
      return (u16(at) | (long) u16(at + 2) << 16) & 0xFFFFFFFFL;
    }
  }

  /**
   * Why {@code domain} is not an origin the platform can put in a CSP connect-src, or null. HTTPS
   * with a DNS name (optionally a port); plain HTTP only for localhost while developing.
   */
  static String domainProblem(String domain) {
    String rest;
    boolean http = false;
    if (domain.startsWith("https://")) {
      rest = domain.substring(8);
    } else if (domain.startsWith("http://")) {
      rest = domain.substring(7);
      http = true;
    } else {
      return "does not start with https://";
    }
    String host = rest;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.substring(0, colon);
      String port = rest.substring(colon + 1);
      if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) == 0
          || Integer.parseInt(port) > 65535) {
        return "has an invalid port";
      }
    }
    if (host.contains("/") || host.contains("?") || host.contains("#") || host.contains("@")) {
      return "is not a bare origin (no path, query, fragment or user)";
    }
    if (host.contains("*")) {
      return "contains a wildcard; list each host";
    }
    if (http && !host.equals("localhost") && !host.equals("127.0.0.1")) {
      return "uses http://, allowed only for localhost during development";
    }
    if (!host.equals(host.toLowerCase(Locale.ROOT))) {
      return "has upper-case letters in the host";
    }
    String[] labels = host.split("\\.", -1);
    if (labels.length < 2 && !host.equals("localhost")) {
      return "is not a fully qualified host name";
    }
    for (String label : labels) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return "has an invalid host name";
      }
    }
    return null;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
