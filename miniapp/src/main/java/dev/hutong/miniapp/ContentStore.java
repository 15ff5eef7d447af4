package dev.hutong.miniapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Package files stored by their SHA-256 under {@code <root>/objects/ab/cdef...}: a file shared by
 * many versions and apps (a template's code, a common library) is stored once, and an object never
 * changes once written, so the server may serve it with immutable caching.
 *
 * <p>Writes go to a temporary file in {@code <root>/tmp} and are then moved into place atomically,
 * so a reader never sees half an object and a crash leaves at most a stray temporary file.
 */
public final class ContentStore {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Path objects;
  private final Path tmp;

  public ContentStore(Path root) {
    this.objects = root.resolve("objects");
    this.tmp = root.resolve("tmp");
    try {
      Files.createDirectories(objects);
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the content store under " + root, e);
    }
  }

  /** Stores {@code data} unless an object with its hash exists; returns the hash. */
  public String put(byte[] data) {
    String sha = PackageValidator.sha256(data);
    put(sha, data);
    return sha;
  }

  /** Stores {@code data}, whose SHA-256 the caller has computed (checked here). */
  public void put(String sha256, byte[] data) {
    if (!PackageValidator.sha256(data).equals(sha256)) {
      throw new IllegalArgumentException("the data does not hash to " + sha256);
    }
    Path target = path(sha256);
    if (Files.exists(target)) {
      return;
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(tmp, sha256.substring(0, 8), ".part");
      try {
        Files.write(temp, data);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
          // Another writer stored the same bytes first; its object is identical.
        } catch (AtomicMoveNotSupportedException e) {
          throw new IllegalStateException("the content store's tmp/ and objects/ must be on one"
              + " file system", e);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store object " + sha256, e);
    }
  }

  public boolean contains(String sha256) {
    return Files.exists(path(sha256));
  }

  /** Where an object lives, for serving it as a file. */
  public Path path(String sha256) {
    if (!SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
    }
    return objects.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
  }

  public InputStream open(String sha256) throws IOException {
    return Files.newInputStream(path(sha256));
  }

  public byte[] read(String sha256) {
    try {
      return Files.readAllBytes(path(sha256));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read object " + sha256, e);
    }
  }

  /** How many objects are stored (walks the store: for tests and operations, not hot paths). */
  public long objectCount() {
    try (var files = Files.walk(objects)) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
