package dev.hutong.ledger;

import java.security.SecureRandom;
import java.util.UUID;

/** 128-bit identifiers. Clients choose them; UUIDv7 keeps them in time order, which keeps index inserts at the right edge. */
public final class Ids {
  public static final UUID ZERO = new UUID(0, 0);
  /** TigerBeetle reserves the all-ones id; so do we. */
  public static final UUID MAX = new UUID(-1L, -1L);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMillis;
  private static long sequence;

  private Ids() {}

  /** A UUIDv7: 48 bits of Unix milliseconds, then a per-millisecond counter and random bits, so ids sort by creation time. */
  public static synchronized UUID next() {
    long millis = System.currentTimeMillis();
    if (millis <= lastMillis) {
      millis = lastMillis;
      sequence++;
      if (sequence > 0xFFF) { // 12 bits of counter exhausted in this millisecond: borrow the next one
        millis++;
        sequence = 0;
      }
    } else {
      sequence = 0;
    }
    lastMillis = millis;
    long msb = (millis << 16) | 0x7000L | sequence;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** PostgreSQL's uuid order (bytes compared unsigned), which UUID.compareTo (signed) is not. */
  public static int compareUnsigned(UUID a, UUID b) {
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  public static boolean isZero(UUID id) {
    return id == null || (id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0);
  }
}
