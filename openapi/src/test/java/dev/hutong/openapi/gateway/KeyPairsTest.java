package dev.hutong.openapi.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyPairsTest {
  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  @Test
  void base64AndPemRoundTrip() {
    KeyPair pair = TestKeys.APP;

    assertThat(KeyPairs.parsePublicKey(KeyPairs.publicKeyBase64(pair.getPublic())))
        .isEqualTo(pair.getPublic());
    assertThat(KeyPairs.parsePrivateKey(KeyPairs.privateKeyBase64(pair.getPrivate())))
        .isEqualTo(pair.getPrivate());
    assertThat(KeyPairs.parsePublicKey(pem("PUBLIC KEY", pair.getPublic().getEncoded())))
        .isEqualTo(pair.getPublic());
    assertThat(KeyPairs.parsePrivateKey(pem("PRIVATE KEY", pair.getPrivate().getEncoded())))
        .isEqualTo(pair.getPrivate());
  }

  @Test
  void exportsAreSingleLineBase64AsTheSdkWants() {
    assertThat(KeyPairs.publicKeyBase64(TestKeys.APP.getPublic())).matches("[A-Za-z0-9+/=]+");
    assertThat(KeyPairs.privateKeyBase64(TestKeys.APP.getPrivate())).matches("[A-Za-z0-9+/=]+");
  }

  @Test
  void clearErrorsForKeysInTheWrongForm() {
    assertThatThrownBy(() -> KeyPairs.parsePrivateKey(pem("RSA PRIVATE KEY", new byte[10])))
        .hasMessageContaining("PKCS#1").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertThatThrownBy(() -> KeyPairs.parsePublicKey("not base64 !"))
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> KeyPairs.parsePublicKey(""))
        .hasMessageContaining("key text is empty");
    assertThatThrownBy(() -> KeyPairs.parsePublicKey(
            KeyPairs.privateKeyBase64(TestKeys.APP.getPrivate())))
        .hasMessageContaining("not an X.509");
    assertThatThrownBy(() -> KeyPairs.parsePublicKey("A".repeat(KeyPairs.TEXT_CHARS_MAX + 1)))
        .hasMessageContaining("it is not a single RSA key");
  }

  @Test
  void keySizesOutsideTheBoundsAreRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(512);
    KeyPair small = generator.generateKeyPair();

    assertThatThrownBy(() -> KeyPairs.parsePublicKey(KeyPairs.publicKeyBase64(small.getPublic())))
        .hasMessageContaining("RSA keys must have 1024 to 4096 bits; this one has 512");
  }

  @Test
  void platformKeysMustBeOnePair() {
    String appPrivate = KeyPairs.privateKeyBase64(TestKeys.APP.getPrivate());
    assertThatThrownBy(() -> PlatformKeys.parse(appPrivate, TestKeys.platformPublic()))
        .hasMessageContaining("are not one pair");
  }
}
