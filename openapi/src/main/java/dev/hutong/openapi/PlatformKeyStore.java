package dev.hutong.openapi;

import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.PlatformKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The platform's key pair in a file: a PKCS#8 RSA private key, PEM ({@code -----BEGIN PRIVATE
 * KEY-----}) or one line of base64; the public key is derived from it. The first start creates an
 * RSA-2048 pair, written to a temporary file with mode 0600 and then moved into place, so a crash
 * never leaves half a key. A file other users may read or write is refused: the key signs every
 * response and notification, so whoever reads it can impersonate the platform to every merchant.
 */
public final class PlatformKeyStore {
  /** A 4096-bit key in PEM is about 3.3 KB; anything far larger is not a key file. */
  static final int FILE_BYTES_MAX = 16 * 1024;
  private static final int PEM_LINE_CHARS = 64;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> FORBIDDEN = EnumSet.of(
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.GROUP_WRITE);

  private PlatformKeyStore() {}

  /**
   * Loads the key pair from {@code file}, creating it (and its directory) first if it does not
   * exist.
   *
   * @throws IllegalStateException when the file is readable or writable by other users, or does
   *     not hold an RSA private key
   * @throws UncheckedIOException when the file can not be read or written
   */
  public static PlatformKeys loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      create(file);
    }
    return load(file);
  }

  static PlatformKeys load(Path file) {
    requirePrivate(file);
    String text;
    try {
      long size = Files.size(file);
      if (size > FILE_BYTES_MAX) {
        throw new IllegalStateException("platform key file " + file + " has " + size
            + " bytes; a key file has a few thousand. Point the server at the right file");
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read platform key file " + file, e);
    }
    RSAPrivateKey privateKey;
    try {
      privateKey = KeyPairs.parsePrivateKey(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("platform key file " + file + " does not hold an RSA "
          + "private key: " + e.getMessage() + ". Restore the file from a backup; deleting it "
          + "makes a new key pair, and every merchant must then configure the new public key", e);
    }
    return PlatformKeys.of(privateKey, publicKeyOf(privateKey, file));
  }

  private static void create(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(dir);
      KeyPair pair = KeyPairs.generateRsa2048();
      byte[] pem = pem(pair).getBytes(StandardCharsets.US_ASCII);
      try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), ownerOnly(dir))) {
        out.write(java.nio.ByteBuffer.wrap(pem));
        out.force(true);
      }
      try {
        Files.move(tmp, file); // no REPLACE_EXISTING: a key made meanwhile by another start wins
      } catch (FileAlreadyExistsException e) {
        // Another process created it first; load() reads theirs.
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not create platform key file " + file, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // A stray temporary file is harmless; the next start makes its own.
      }
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
  }

  private static void requirePrivate(Path file) {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return; // no POSIX modes to check (Windows): the directory's ACL is the protection
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the permissions of " + file, e);
    }
    Set<PosixFilePermission> wrong = EnumSet.noneOf(PosixFilePermission.class);
    wrong.addAll(permissions);
    wrong.retainAll(FORBIDDEN);
    if (!wrong.isEmpty()) {
      throw new IllegalStateException("platform key file " + file + " has mode "
          + PosixFilePermissions.toString(permissions) + ": other users can "
          + (wrong.contains(PosixFilePermission.OTHERS_READ) ? "read" : "change")
          + " the platform's private key, which signs every response and notification. "
          + "Run: chmod 600 " + file);
    }
  }

  private static RSAPublicKey publicKeyOf(RSAPrivateKey privateKey, Path file) {
    if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
      throw new IllegalStateException("platform key file " + file + " holds an RSA key without "
          + "its CRT parameters, so its public key can not be derived; write a standard PKCS#8 "
          + "key (openssl pkcs8 -topk8 -nocrypt)");
    }
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not derive the public key of " + file, e);
    }
  }

  private static String pem(KeyPair pair) {
    String base64 = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    StringBuilder out = new StringBuilder("-----BEGIN PRIVATE KEY-----\n");
    for (int i = 0; i < base64.length(); i += PEM_LINE_CHARS) {
      out.append(base64, i, Math.min(base64.length(), i + PEM_LINE_CHARS)).append('\n');
    }
    return out.append("-----END PRIVATE KEY-----\n").toString();
  }
}
