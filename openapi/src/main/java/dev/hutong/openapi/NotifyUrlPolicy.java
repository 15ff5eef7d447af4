package dev.hutong.openapi;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Which notify URLs the platform will POST notifications to. Always: an absolute http or https
 * URL with a host, without user:password, at most {@link #URL_CHARS_MAX} characters. In public
 * mode also: the host must not be, nor resolve to, a loopback, private, link-local, multicast or
 * otherwise non-public address (10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, 100.64/10, 0/8,
 * fc00::/7, fe80::/10, ::1, and IPv6 forms that embed such an IPv4 address). Otherwise any app
 * could make the platform send requests into its own network (server-side request forgery).
 *
 * <p>Checked when an app registers its default URL and when a request names one. DNS can change
 * between that check and the send, so the sender (the server's notification transport) should
 * check the address it actually connects to with {@link #isPublicAddress} again.
 */
public final class NotifyUrlPolicy {
  /** The pay module stores notify URLs of at most 512 characters. */
  public static final int URL_CHARS_MAX = 512;

  /** Resolves host names; tests substitute their own to avoid the network. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean publicMode;
  private final Resolver resolver;

  public NotifyUrlPolicy(boolean publicMode) {
    this(publicMode, InetAddress::getAllByName);
  }

  public NotifyUrlPolicy(boolean publicMode, Resolver resolver) {
    this.publicMode = publicMode;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  public boolean publicMode() {
    return publicMode;
  }

  /**
   * Returns {@code url} if notifications may go there.
   *
   * @throws OpenApiException {@link OpenApiException#INVALID_NOTIFY_URL} for a malformed URL (or,
   *     in public mode, a host that does not resolve), {@link
   *     OpenApiException#NOTIFY_URL_NOT_PUBLIC} for a non-public address in public mode
   */
  public String check(String url) {
    if (url == null || url.isBlank()) {
      throw invalid("the notify URL is empty");
    }
    if (url.length() > URL_CHARS_MAX) {
      throw invalid("the notify URL has " + url.length() + " characters; at most "
          + URL_CHARS_MAX + " are accepted");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid("the notify URL '" + url + "' is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw invalid("the notify URL '" + url + "' must be an absolute http:// or https:// URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid("the notify URL '" + url + "' has no valid host name (letters, digits, '-' "
          + "and '.', or an IP address)");
    }
    if (uri.getRawUserInfo() != null) {
      throw invalid("the notify URL must not carry user:password@ before the host");
    }
    if (publicMode) {
      requirePublicHost(url, uri.getHost());
    }
    return url;
  }

  private void requirePublicHost(String url, String rawHost) {
    String host = rawHost.startsWith("[") && rawHost.endsWith("]")
        ? rawHost.substring(1, rawHost.length() - 1) : rawHost;
    String lower = host.toLowerCase(Locale.ROOT);
    if (lower.equals("localhost") || lower.endsWith(".localhost")) {
      throw notPublic(url, host + " is this machine");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw invalid("the notify URL's host " + host + " does not resolve; in public mode the "
          + "platform checks where notifications go, so use a host name that resolves");
    }
    if (addresses == null || addresses.length == 0) {
      throw invalid("the notify URL's host " + host + " resolves to no address");
    }
    for (InetAddress address : addresses) {
      if (!isPublicAddress(address)) {
        throw notPublic(url, host + (host.equals(address.getHostAddress()) ? "" : " resolves to "
            + address.getHostAddress() + ", which") + " is a loopback, private, link-local or "
            + "reserved address");
      }
    }
  }

  /** True for a globally routable unicast address: one notifications may be sent to. */
  public static boolean isPublicAddress(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicV4(b);
    }
    if (!(address instanceof Inet6Address) || b.length != 16) {
      return false;
    }
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if ((first & 0xfe) == 0xfc) {
      return false; // fc00::/7, unique local
    }
    if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // ::ffff:a.b.c.d
    }
    if (allZero(b, 0, 12)) {
      return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // ::a.b.c.d (also :: and ::1)
    }
    if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
        && allZero(b, 4, 12)) {
      return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // 64:ff9b::/96, NAT64
    }
    if (first == 0x20 && second == 0x02) {
      return isPublicV4(Arrays.copyOfRange(b, 2, 6)); // 2002::/16, 6to4
    }
    if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
      return false; // 2001::/32, Teredo: the IPv4 inside is obfuscated; refuse
    }
    if (first == 0x20 && second == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
      return false; // 2001:db8::/32, documentation
    }
    if (first == 0x01 && second == 0x00 && allZero(b, 2, 8)) {
      return false; // 100::/64, discard
    }
    return true;
  }

  private static boolean isPublicV4(byte[] b) {
    int a = b[0] & 0xff;
    int c = b[1] & 0xff;
    int d = b[2] & 0xff;
    return !(a == 0 // this network
        || a == 10 // private
        || (a == 100 && c >= 64 && c <= 127) // carrier-grade NAT
        || a == 127 // loopback
        || (a == 169 && c == 254) // link-local (cloud metadata services live here)
        || (a == 172 && c >= 16 && c <= 31) // private
        || (a == 192 && c == 0 && (d == 0 || d == 2)) // IETF protocol assignments, TEST-NET-1
        || (a == 192 && c == 168) // private
        || (a == 198 && (c == 18 || c == 19)) // benchmarking
        || (a == 198 && c == 51 && d == 100) // TEST-NET-2
        || (a == 203 && c == 0 && d == 113) // TEST-NET-3
        || a >= 224); // multicast, reserved, broadcast
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static OpenApiException invalid(String message) {
    return new OpenApiException(OpenApiException.INVALID_NOTIFY_URL, message);
  }

  private static OpenApiException notPublic(String url, String why) {
    return new OpenApiException(OpenApiException.NOTIFY_URL_NOT_PUBLIC, "the notify URL '" + url
        + "' is refused: " + why + "; this server runs in public mode and sends notifications "
        + "only to public internet addresses");
  }
}
