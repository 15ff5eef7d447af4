package dev.hutong.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The operator's bearer token for the admin API. A fresh random one is written at every start to
 * {@code <data-dir>/operator.token}, readable by the owner only (0600); whoever can read that file
 * is the operator. The server keeps only the token's SHA-256 and compares digests in constant
 * time, so neither a heap dump nor a timing measurement gives the token away.
 */
final class OperatorToken {
  static final String FILE_NAME = "operator.token";
  /** 256 random bits. */
  private static final int TOKEN_BYTES = 32;
  /** Longer Authorization headers are refused before hashing. */
  private static final int PRESENTED_CHARS_MAX = 256;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final byte[] digest;

  private OperatorToken(Path file, byte[] digest) {
    this.file = file;
    this.digest = digest;
  }

  /**
   * Writes a new token to {@code dataDirectory/operator.token}, replacing the previous one
   * atomically (a reader never sees half a token), and returns the checker for it.
   */
  static OperatorToken createIn(Path dataDirectory, SecureRandom random) {
    byte[] raw = new byte[TOKEN_BYTES];
    random.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Path file = dataDirectory.toAbsolutePath().resolve(FILE_NAME);
    Path temporary = dataDirectory.toAbsolutePath().resolve(FILE_NAME + ".new");
    try {
      Files.deleteIfExists(temporary);
      // Created with 0600 from the first byte: there is no moment when others could read it.
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(temporary, token + "\n", StandardCharsets.US_ASCII,
          StandardOpenOption.TRUNCATE_EXISTING);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      throw new ServerStartException("could not write " + temporary + ": it appeared while "
          + "Hutong was writing it; is another program writing to the data directory?", e);
    } catch (IOException | UnsupportedOperationException e) {
      throw new ServerStartException("could not write the operator token to " + file + ": "
          + Database.rootMessage(e) + "; check that the data directory is writable", e);
    }
    return new OperatorToken(file, sha256(token));
  }

  /** Where the token is, for the banner. */
  Path file() {
    return file;
  }

  /** True when {@code presented} is the token; constant time in the token's content. */
  boolean matches(String presented) {
    if (presented == null || presented.isEmpty() || presented.length() > PRESENTED_CHARS_MAX) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
