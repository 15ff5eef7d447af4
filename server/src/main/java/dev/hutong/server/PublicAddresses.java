package dev.hutong.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which addresses a public-mode server may send notifications to: only those on the public
 * internet. Refused: unspecified (0.0.0.0, ::), loopback (127/8, ::1), private (10/8,
 * 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 — the cloud metadata service —
 * fe80::/10), carrier-grade NAT (100.64/10), IETF and benchmarking blocks (192.0.0/24, 198.18/15),
 * multicast, and the reserved 240/4 with broadcast; IPv4 addresses embedded in IPv6 (mapped,
 * compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside.
 */
final class PublicAddresses {
  private PublicAddresses() {}

  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicIpv4(b);
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if ((b0 & 0xfe) == 0xfc) {
      return false; // fc00::/7 unique local
    }
    if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return isPublicEmbedded(b, 12); // ::ffff:a.b.c.d (mapped)
    }
    if (allZero(b, 0, 12)) {
      return isPublicEmbedded(b, 12); // ::a.b.c.d (compatible), :: and ::1 among them
    }
    if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
        && allZero(b, 4, 12)) {
      return isPublicEmbedded(b, 12); // 64:ff9b::/96 NAT64
    }
    if (b0 == 0x20 && b1 == 0x02) {
      return isPublicEmbedded(b, 2); // 2002::/16 6to4
    }
    return true;
  }

  private static boolean isPublicEmbedded(byte[] b, int offset) {
    byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
    try {
      return isPublic(InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static boolean isPublicIpv4(byte[] b) {
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    int b2 = b[2] & 0xff;
    return !(b0 == 0 // "this network"
        || b0 == 10 || b0 == 127
        || (b0 == 100 && (b1 & 0xc0) == 64) // 100.64.0.0/10 carrier-grade NAT
        || (b0 == 169 && b1 == 254)
        || (b0 == 172 && (b1 & 0xf0) == 16)
        || (b0 == 192 && b1 == 168)
        || (b0 == 192 && b1 == 0 && b2 == 0) // 192.0.0.0/24 IETF protocol assignments
        || (b0 == 198 && (b1 & 0xfe) == 18) // 198.18.0.0/15 benchmarking
        || b0 >= 224); // multicast, reserved, broadcast
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
