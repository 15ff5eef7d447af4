package dev.hutong.openapi.gateway;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * RSA key pairs in the text form Alipay's tools and SDK use: base64 of the DER encoding, X.509
 * (SubjectPublicKeyInfo) for public keys and PKCS#8 for private keys, without PEM armour. Parsing
 * also accepts the same keys wrapped in PEM armour.
 */
public final class KeyPairs {
  public static final int GENERATED_BITS = 2048;
  /** Alipay's RSA (SHA1) apps used 1024-bit keys; smaller keys are broken. */
  public static final int BITS_MIN = 1024;
  /** Bounds the cost of one verification that an app can make the gateway do. */
  public static final int BITS_MAX = 4096;
  /** Far above a 4096-bit PKCS#8 key in PEM (about 3300 chars); refuses junk before decoding it. */
  static final int TEXT_CHARS_MAX = 8 * 1024;

  private KeyPairs() {}

  public static KeyPair generateRsa2048() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(GENERATED_BITS);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no RSA key pair generator", e);
    }
  }

  /** Base64 of the X.509 encoding, one line: what the SDK's alipayPublicKey argument takes. */
  public static String publicKeyBase64(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Base64 of the PKCS#8 encoding, one line: what the SDK's privateKey argument takes. */
  public static String privateKeyBase64(PrivateKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  public static RSAPublicKey parsePublicKey(String text) {
    byte[] der = decode(text, "PUBLIC KEY", "public");
    try {
      PublicKey key = rsa().generatePublic(new X509EncodedKeySpec(der));
      RSAPublicKey rsaKey = (RSAPublicKey) key;
      requireBits(rsaKey.getModulus().bitLength());
      return rsaKey;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the public key is not an X.509 (SubjectPublicKeyInfo) "
          + "RSA key: " + e.getMessage() + "; export it with KeyPairs.publicKeyBase64 or "
          + "'openssl rsa -pubout'", e);
    }
  }

  public static RSAPrivateKey parsePrivateKey(String text) {
    byte[] der = decode(text, "PRIVATE KEY", "private");
    try {
      PrivateKey key = rsa().generatePrivate(new PKCS8EncodedKeySpec(der));
      RSAPrivateKey rsaKey = (RSAPrivateKey) key;
      requireBits(rsaKey.getModulus().bitLength());
      return rsaKey;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the private key is not a PKCS#8 RSA key: "
          + e.getMessage() + "; convert a PKCS#1 key with "
          + "'openssl pkcs8 -topk8 -nocrypt -in key.pem'", e);
    }
  }

  private static byte[] decode(String text, String pemLabel, String kind) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the " + kind + " key text is empty");
    }
    if (text.length() > TEXT_CHARS_MAX) {
      throw new IllegalArgumentException("the " + kind + " key text has " + text.length()
          + " chars, more than " + TEXT_CHARS_MAX + "; it is not a single RSA key");
    }
    String body = stripArmour(text.strip(), pemLabel, kind).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + kind + " key is not valid base64: "
          + e.getMessage(), e);
    }
  }

  private static String stripArmour(String text, String pemLabel, String kind) {
    if (!text.startsWith("-----BEGIN ")) {
      return text;
    }
    String begin = "-----BEGIN " + pemLabel + "-----";
    String end = "-----END " + pemLabel + "-----";
    if (!text.startsWith(begin) || !text.endsWith(end)) {
      String firstLine = text.lines().findFirst().orElse("");
      throw new IllegalArgumentException("expected a PEM block '" + begin + "' for the " + kind
          + " key but found '" + firstLine + "'; PKCS#1 ('BEGIN RSA ...') and encrypted keys are "
          + "not accepted: convert with 'openssl pkcs8 -topk8 -nocrypt' (private) or "
          + "'openssl rsa -pubout' (public)");
    }
    return text.substring(begin.length(), text.length() - end.length());
  }

  /** Also applied to keys built elsewhere (a database-backed directory), so bounds always hold. */
  static void requireBits(int bits) {
    if (bits < BITS_MIN || bits > BITS_MAX) {
      throw new IllegalArgumentException("RSA keys must have " + BITS_MIN + " to " + BITS_MAX
          + " bits; this one has " + bits + " (generate 2048-bit keys for RSA2)");
    }
  }

  private static KeyFactory rsa() {
    try {
      return KeyFactory.getInstance("RSA");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no RSA key factory", e);
    }
  }
}
