package dev.hutong.openapi.gateway;

import java.util.Optional;

/**
 * The signature algorithms of Alipay's v2 protocol, named exactly as the sign_type parameter names
 * them.
 */
public enum SignType {
  /** SHA256withRSA: the only type Alipay offers apps created since 2018. */
  RSA2("SHA256withRSA"),
  /** SHA1withRSA: kept for integrations that predate RSA2. */
  RSA("SHA1withRSA");

  private final String jcaAlgorithm;

  SignType(String jcaAlgorithm) {
    this.jcaAlgorithm = jcaAlgorithm;
  }

  public String jcaAlgorithm() {
    return jcaAlgorithm;
  }

  /**
   * Case-sensitive on purpose: the SDK looks its signers up by the exact upper-case name, and the
   * value is part of the signed content, so "rsa2" would never verify on the client side anyway.
   */
  public static Optional<SignType> fromParameter(String value) {
    for (SignType type : values()) {
      if (type.name().equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
