package dev.hutong.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.PlatformKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformKeyStoreTest {
  @TempDir
  Path dir;

  @Test
  void theFirstStartCreatesAnOwnerOnlyRsa2048PemFileAndLaterStartsLoadIt() throws Exception {
    Path file = dir.resolve("keys/platform.key");
    PlatformKeys created = PlatformKeyStore.loadOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(created.publicKey().getModulus().bitLength()).isEqualTo(2048);
    assertThat(Files.list(file.getParent())).containsExactly(file);

    PlatformKeys loaded = PlatformKeyStore.loadOrCreate(file);
    assertThat(loaded.publicKeyBase64()).isEqualTo(created.publicKeyBase64());
  }

  @Test
  void aBase64LineWorksToo() throws Exception {
    Path file = dir.resolve("platform.key");
    Files.writeString(file, KeyPairs.privateKeyBase64(Keys.PLATFORM.getPrivate()) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(PlatformKeyStore.loadOrCreate(file).publicKeyBase64())
        .isEqualTo(Keys.platformPublic());
  }

  @Test
  void aFileOtherUsersCanReadIsRefusedWithTheFix() throws Exception {
    Path file = dir.resolve("platform.key");
    PlatformKeyStore.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> PlatformKeyStore.loadOrCreate(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("other users can read")
        .hasMessageContaining("chmod 600 " + file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
    assertThatThrownBy(() -> PlatformKeyStore.loadOrCreate(file))
        .hasMessageContaining("other users can change");
  }

  @Test
  void aFileWithoutAPrivateKeyIsRefusedNotReplaced() throws Exception {
    Path file = dir.resolve("platform.key");
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> PlatformKeyStore.loadOrCreate(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not hold an RSA private key")
        .hasMessageContaining("Restore the file");
    assertThat(Files.readString(file)).contains("BEGIN PUBLIC KEY");
  }
}
