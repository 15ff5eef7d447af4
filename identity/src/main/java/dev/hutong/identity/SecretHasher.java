package dev.hutong.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/**
 * The slow hash for passwords and payment PINs: bcrypt (pure Java, at.favre.lib). The cost is a
 * setting because every doubling doubles the CPU a login or a PIN check takes: production keeps
 * {@link #DEFAULT_COST}, tests use {@link #MIN_COST} to stay fast on two cores.
 *
 * <p>A 6-digit PIN has only a million values, so its hash alone cannot protect it from someone who
 * stole the database; the lockout in {@link PaymentPins} is what protects it online.
 */
public final class SecretHasher {
  /** About 50–80 ms per hash on one core of a 2024 server. */
  public static final int DEFAULT_COST = 10;
  public static final int MIN_COST = 4;
  /** bcrypt reads at most 72 bytes; longer secrets are refused rather than silently cut. */
  public static final int SECRET_BYTES_MAX = 72;

  private final int cost;

  public SecretHasher(int cost) {
    if (cost < MIN_COST || cost > 16) {
      throw new IllegalArgumentException("bcrypt cost must be 4 to 16, got " + cost);
    }
    this.cost = cost;
  }

  public String hash(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > SECRET_BYTES_MAX) {
      throw new IllegalArgumentException("secret longer than 72 bytes");
    }
    return new String(BCrypt.withDefaults().hash(cost, bytes), StandardCharsets.US_ASCII);
  }

  /** Constant-time comparison inside bcrypt; false for a malformed stored hash. */
  public boolean verify(String secret, String storedHash) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > SECRET_BYTES_MAX) {
      return false;
    }
    try {
      return BCrypt.verifyer().verify(bytes, storedHash.getBytes(StandardCharsets.US_ASCII)).verified;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
