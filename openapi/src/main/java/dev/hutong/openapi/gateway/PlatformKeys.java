package dev.hutong.openapi.gateway;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

/**
 * The platform's own key pair: it signs gateway responses and notifications; merchants configure
 * its public key in the SDK as "alipayPublicKey".
 */
public final class PlatformKeys {
  private final RSAPrivateKey privateKey;
  private final RSAPublicKey publicKey;

  private PlatformKeys(RSAPrivateKey privateKey, RSAPublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** Refuses halves of different pairs, which would sign responses no client could verify. */
  public static PlatformKeys of(RSAPrivateKey privateKey, RSAPublicKey publicKey) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    KeyPairs.requireBits(publicKey.getModulus().bitLength());
    if (!privateKey.getModulus().equals(publicKey.getModulus())) {
      throw new IllegalArgumentException("the platform private and public keys are not one pair "
          + "(their moduli differ); configure the public key exported from the same key pair");
    }
    return new PlatformKeys(privateKey, publicKey);
  }

  /** From the base64 (or PEM) texts of a PKCS#8 private key and an X.509 public key. */
  public static PlatformKeys parse(String privateKeyText, String publicKeyText) {
    return of(KeyPairs.parsePrivateKey(privateKeyText), KeyPairs.parsePublicKey(publicKeyText));
  }

  public RSAPublicKey publicKey() {
    return publicKey;
  }

  /** The text a merchant pastes into the SDK's alipayPublicKey argument. */
  public String publicKeyBase64() {
    return KeyPairs.publicKeyBase64(publicKey);
  }

  /**
   * An app must never register the platform's key: its owner would then hold the platform's
   * private key, and the SDK itself refuses a configuration whose "alipay" public key verifies the
   * app's own signatures (CHECK_ALIPAY_PUBLIC_KEY_ERROR). Same modulus means same key.
   */
  public void requireDistinctAppKey(String appId, RSAPublicKey appKey) {
    if (appKey.getModulus().equals(publicKey.getModulus())) {
      throw new IllegalArgumentException("app " + appId + " registers the platform's own public "
          + "key; generate a separate RSA key pair for the app and register its public key (the "
          + "Alipay SDK refuses to work when the two keys are the same)");
    }
  }

  /**
   * A secret for one purpose (e.g. signing download links), derived from the platform's private
   * key: it changes when the key does, needs no storage, and reveals nothing about the key.
   */
  public byte[] derivedSecret(String purpose) {
    try {
      java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
      d.update(("hutong-derived-secret:" + purpose + ":").getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      d.update(privateKey.getEncoded());
      return d.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  String sign(SignType type, byte[] content) {
    return Signatures.sign(privateKey, type, content);
  }
}
