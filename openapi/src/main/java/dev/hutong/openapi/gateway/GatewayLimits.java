package dev.hutong.openapi.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one request. Sizes are in bytes after percent-decoding unless named otherwise.
 *
 * @param bodyBytesMax the form body as sent
 * @param queryCharsMax the raw query string as sent
 * @param paramsMax parameters in query and body together
 * @param nameBytesMax one parameter name
 * @param valueBytesMax one parameter value other than biz_content
 * @param bizContentBytesMax the biz_content value
 * @param timestampSkewMax how far the timestamp parameter may be from the gateway's clock, either
 *     way; bounds how long a captured request can be replayed
 */
public record GatewayLimits(
    int bodyBytesMax,
    int queryCharsMax,
    int paramsMax,
    int nameBytesMax,
    int valueBytesMax,
    int bizContentBytesMax,
    Duration timestampSkewMax) {

  public GatewayLimits {
    requirePositive(bodyBytesMax, "bodyBytesMax");
    requirePositive(queryCharsMax, "queryCharsMax");
    requirePositive(paramsMax, "paramsMax");
    requirePositive(nameBytesMax, "nameBytesMax");
    requirePositive(valueBytesMax, "valueBytesMax");
    requirePositive(bizContentBytesMax, "bizContentBytesMax");
    Objects.requireNonNull(timestampSkewMax, "timestampSkewMax");
    if (timestampSkewMax.isNegative() || timestampSkewMax.isZero()) {
      throw new IllegalArgumentException("timestampSkewMax must be positive");
    }
  }

  /**
   * 1 MiB bodies, 64 KiB query strings, 64 parameters, 64-byte names, 16 KiB values, 512 KiB
   * biz_content, timestamps within 15 minutes.
   */
  public static GatewayLimits defaults() {
    return new GatewayLimits(1 << 20, 64 * 1024, 64, 64, 16 * 1024, 512 * 1024,
        Duration.ofMinutes(15));
  }

  private static void requirePositive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
