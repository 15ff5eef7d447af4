package dev.hutong.openapi;

import dev.hutong.openapi.gateway.KeyPairs;
import dev.hutong.openapi.gateway.PlatformKeys;
import java.security.KeyPair;

/** Key pairs generated once per test JVM (each costs about 100 ms). */
final class Keys {
  static final KeyPair PLATFORM = KeyPairs.generateRsa2048();
  static final PlatformKeys PLATFORM_KEYS = PlatformKeys.parse(
      KeyPairs.privateKeyBase64(PLATFORM.getPrivate()),
      KeyPairs.publicKeyBase64(PLATFORM.getPublic()));
  static final KeyPair APP_A = KeyPairs.generateRsa2048();
  static final KeyPair APP_B = KeyPairs.generateRsa2048();

  private Keys() {}

  static String platformPublic() {
    return KeyPairs.publicKeyBase64(PLATFORM.getPublic());
  }

  static String publicText(KeyPair pair) {
    return KeyPairs.publicKeyBase64(pair.getPublic());
  }

  static String privateText(KeyPair pair) {
    return KeyPairs.privateKeyBase64(pair.getPrivate());
  }
}
