package dev.hutong.openapi;

import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.PlatformKeys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** TEMPORARY STUB. */
public final class PlatformKeyStore {
  private PlatformKeyStore() {}

  public static PlatformKeys loadOrCreate(Path file) {
    KeyPair pair = KeyPairs.generateRsa2048();
    return PlatformKeys.of((RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
  }
}
