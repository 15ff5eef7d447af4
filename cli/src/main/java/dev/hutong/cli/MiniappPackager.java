package dev.hutong.cli;

import dev.hutong.miniapp.PackageProblem;
import dev.hutong.miniapp.PackageValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips a mini-program directory the way the server expects it (paths relative to the directory,
 * '/' separators, sorted, deflated) and validates the zip with the server's own
 * {@link PackageValidator}, so what {@code hutong miniapp pack} accepts the server accepts.
 */
final class MiniappPackager {
  /** Files walked before giving up: the validator allows 1,000 entries, so far more is a mistake. */
  static final int FILES_MAX = 5_000;

  /** The zip and what the validator found wrong with it (empty when it passes). */
  record Packed(byte[] zip, int files, long bytes, List<PackageProblem> problems) {
    boolean valid() {
      return problems.isEmpty();
    }
  }

  private MiniappPackager() {}

  /** Packs {@code dir}, leaving out {@code exclude} (the output zip, when it is inside). */
  static Packed pack(Path dir, Path exclude) {
    if (!Files.isDirectory(dir)) {
      throw new CommandFailure(dir + " is not a directory; give the mini-program's directory"
          + " (the one with app.json)");
    }
    List<Path> files = files(dir, exclude);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long total = 0;
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Path file : files) {
        String name = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0);
        zip.putNextEntry(entry);
        byte[] content = Files.readAllBytes(file);
        total += content.length;
        zip.write(content);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new CommandFailure("cannot pack " + dir + ": " + e.getMessage(), e);
    }
    byte[] zip = bytes.toByteArray();
    return new Packed(zip, files.size(), total, new PackageValidator().problems(zip));
  }

  private static List<Path> files(Path dir, Path exclude) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (Files.isSymbolicLink(p)) {
          throw new CommandFailure(dir.relativize(p) + ": [symlink] symbolic links are not"
              + " allowed in a package; copy the file instead");
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !isSame(p, exclude)) {
          out.add(p);
          if (out.size() > FILES_MAX) {
            throw new CommandFailure(dir + " has more than " + FILES_MAX + " files; is it the"
                + " mini-program's directory?");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }

  private static boolean isSame(Path p, Path exclude) {
    return exclude != null
        && p.toAbsolutePath().normalize().equals(exclude.toAbsolutePath().normalize());
  }

  /** A fingerprint of the directory's files (paths, sizes, times): it changes when a file does. */
  static String fingerprint(Path dir) {
    StringBuilder s = new StringBuilder();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          s.append(dir.relativize(p)).append(' ').append(Files.size(p)).append(' ')
              .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
        }
      }
    } catch (IOException e) {
      // A file vanished mid-walk (an editor saving): report a change, the next look settles it.
      return "changing " + System.nanoTime();
    }
    return s.toString();
  }
}
