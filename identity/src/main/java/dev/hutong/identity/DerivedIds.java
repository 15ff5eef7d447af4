package dev.hutong.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Ledger ids derived from a business key, so that a retry after a crash submits the SAME transfer
 * id and the ledger answers {@code exists} instead of moving money twice.
 *
 * <p>Layout: a UUIDv7 whose 48-bit millisecond field is a time the caller has recorded next to the
 * key (when the payment or refund attempt was written down), and whose remaining 74 bits come from
 * SHA-256 of the key. The id is therefore reproducible from the stored row alone, and still sorts
 * by time like {@link dev.hutong.ledger.Ids#next()}: the ledger skips look-ups of ids above its
 * high-water mark, and a purely hashed id would put that mark near the top and cost every later
 * transfer a look-up.
 */
public final class DerivedIds {
  private DerivedIds() {}

  public static UUID of(long epochMillis, String key) {
    if (epochMillis < 0 || epochMillis >= (1L << 48)) {
      throw new IllegalArgumentException("time out of the 48-bit range: " + epochMillis);
    }
    byte[] h = sha256(key);
    long hashHigh = 0;
    long hashLow = 0;
    for (int i = 0; i < 8; i++) {
      hashHigh = (hashHigh << 8) | (h[i] & 0xFF);
      hashLow = (hashLow << 8) | (h[8 + i] & 0xFF);
    }
    long msb = (epochMillis << 16) | 0x7000L | (hashHigh & 0xFFFL);
    long lsb = (hashLow & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
