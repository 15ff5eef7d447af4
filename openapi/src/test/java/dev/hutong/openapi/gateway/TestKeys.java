package dev.hutong.openapi.gateway;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;

/** Key pairs generated once per test run: generating RSA keys costs about 100 ms each. */
final class TestKeys {
  static final KeyPair PLATFORM = KeyPairs.generateRsa2048();
  static final KeyPair APP = KeyPairs.generateRsa2048();
  /** A key no app registered: signing with it provokes isv.invalid-signature. */
  static final KeyPair STRANGER = KeyPairs.generateRsa2048();

  static final PlatformKeys PLATFORM_KEYS = PlatformKeys.parse(
      KeyPairs.privateKeyBase64(PLATFORM.getPrivate()),
      KeyPairs.publicKeyBase64(PLATFORM.getPublic()));

  private TestKeys() {}

  static String platformPublic() {
    return KeyPairs.publicKeyBase64(PLATFORM.getPublic());
  }

  static String appPrivate() {
    return KeyPairs.privateKeyBase64(APP.getPrivate());
  }

  static String strangerPrivate() {
    return KeyPairs.privateKeyBase64(STRANGER.getPrivate());
  }

  static RSAPublicKey appPublicKey() {
    return (RSAPublicKey) APP.getPublic();
  }
}
