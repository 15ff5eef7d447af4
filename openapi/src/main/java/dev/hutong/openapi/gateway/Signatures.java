package dev.hutong.openapi.gateway;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;

/** RSA signing and verification as the protocol uses them: base64 text over charset bytes. */
final class Signatures {
  private Signatures() {}

  static String sign(PrivateKey key, SignType type, byte[] content) {
    try {
      Signature signature = Signature.getInstance(type.jcaAlgorithm());
      signature.initSign(key);
      signature.update(content);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      // Keys are parsed and checked when loaded, so this is a broken JDK or key object.
      throw new IllegalStateException("signing with " + type + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * False for any signature that does not verify, including one of the wrong length for the key,
   * which some JDK versions report by throwing instead of returning false.
   */
  static boolean verify(PublicKey key, SignType type, byte[] content, byte[] signatureBytes) {
    try {
      Signature signature = Signature.getInstance(type.jcaAlgorithm());
      signature.initVerify(key);
      signature.update(content);
      return signature.verify(signatureBytes);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("verifying with " + type + " failed: " + e.getMessage(), e);
    }
  }
}
