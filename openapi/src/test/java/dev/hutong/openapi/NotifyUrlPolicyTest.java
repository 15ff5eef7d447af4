package dev.hutong.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which notify URLs are accepted, in the default mode and in public mode (SSRF protection). */
class NotifyUrlPolicyTest {
  /** A resolver without the network: a few names, everything else unknown. */
  static final Map<String, String[]> NAMES = Map.of(
      "merchant.example", new String[] {"93.184.216.34"},
      "v6.merchant.example", new String[] {"2606:2800:220:1:248:1893:25c8:1946"},
      "internal.example", new String[] {"10.1.2.3"},
      "split.example", new String[] {"93.184.216.34", "192.168.1.20"},
      "metadata.example", new String[] {"169.254.169.254"});

  static final NotifyUrlPolicy.Resolver RESOLVER = host -> {
    String[] addresses = NAMES.get(host);
    if (addresses == null) {
      if (host.matches("[0-9.]+|.*:.*")) {
        return InetAddress.getAllByName(host); // literals resolve without the network
      }
      throw new UnknownHostException(host);
    }
    InetAddress[] out = new InetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      out[i] = InetAddress.getByName(addresses[i]);
    }
    return out;
  };

  static final NotifyUrlPolicy PUBLIC = new NotifyUrlPolicy(true, RESOLVER);
  static final NotifyUrlPolicy DEFAULT = new NotifyUrlPolicy(false, RESOLVER);

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1",
      "100.127.255.254", "127.0.0.1", "127.8.9.10", "169.254.169.254", "172.16.0.1",
      "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.0.1", "198.18.0.1", "198.51.100.7",
      "203.0.113.9", "224.0.0.1", "239.1.2.3", "240.0.0.1", "255.255.255.255", "::", "::1",
      "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "::ffff:10.0.0.1",
      "::ffff:127.0.0.1", "::10.0.0.1", "64:ff9b::a00:1", "2002:c0a8:0101::1", "2001::1",
      "2001:db8::1", "100::1"})
  void nonPublicAddresses(String literal) throws Exception {
    assertThat(NotifyUrlPolicy.isPublicAddress(InetAddress.getByName(literal))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255",
      "100.128.0.1", "172.15.255.255", "172.32.0.1", "192.167.1.1", "192.169.0.1",
      "223.255.255.254", "2606:4700:4700::1111", "2400:3200::1", "64:ff9b::808:808",
      "2002:0808:0808::1"})
  void publicAddresses(String literal) throws Exception {
    assertThat(NotifyUrlPolicy.isPublicAddress(InetAddress.getByName(literal))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "notify", "/notify", "ftp://merchant.example/n",
      "javascript:alert(1)", "http://", "http:///path", "https://user:pw@merchant.example/n",
      "http://merchant.example/has space", "file:///etc/passwd", "http://exa_mple.com/n"})
  void malformedUrlsAreRefusedInEitherMode(String url) {
    for (NotifyUrlPolicy policy : new NotifyUrlPolicy[] {DEFAULT, PUBLIC}) {
      assertThatThrownBy(() -> policy.check(url)).isInstanceOfSatisfying(OpenApiException.class,
          e -> assertThat(e.subCode()).isEqualTo(OpenApiException.INVALID_NOTIFY_URL));
    }
  }

  @Test
  void tooLongUrlsAreRefused() {
    String url = "https://merchant.example/" + "a".repeat(NotifyUrlPolicy.URL_CHARS_MAX);
    assertThatThrownBy(() -> DEFAULT.check(url)).isInstanceOf(OpenApiException.class)
        .hasMessageContaining("at most 512");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:9/notify", "http://localhost:8081/n",
      "http://10.0.0.5/n", "http://192.168.1.9:8000/alipay/notify", "http://[::1]:9/n",
      "https://merchant.example/n", "HTTPS://MERCHANT.EXAMPLE/n?x=1#f"})
  void theDefaultModeAcceptsAnyHttpUrlIncludingThisMachineAndTheLan(String url) {
    assertThat(DEFAULT.check(url)).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:9/notify", "http://localhost:8081/n",
      "http://app.localhost/n", "http://10.0.0.5/n", "http://172.20.1.1/n",
      "http://192.168.1.9:8000/alipay/notify", "http://[::1]:9/n", "http://[fd00::5]/n",
      "http://[fe80::1]/n", "http://169.254.169.254/latest/meta-data", "http://0.0.0.0/n",
      "http://internal.example/n", "http://split.example/n",
      "http://metadata.example/n", "http://[::ffff:10.0.0.1]/n"})
  void publicModeRefusesPrivateLoopbackAndLinkLocalTargets(String url) {
    assertThatThrownBy(() -> PUBLIC.check(url)).isInstanceOfSatisfying(OpenApiException.class,
        e -> assertThat(e.subCode()).as(e.getMessage())
            .isEqualTo(OpenApiException.NOTIFY_URL_NOT_PUBLIC));
  }

  @Test
  void publicModeAcceptsPublicTargetsAndRefusesUnresolvableOnes() {
    assertThat(PUBLIC.check("https://merchant.example/notify")).isNotNull();
    assertThat(PUBLIC.check("https://v6.merchant.example/notify")).isNotNull();
    assertThat(PUBLIC.check("http://93.184.216.34:8080/n")).isNotNull();
    assertThatThrownBy(() -> PUBLIC.check("https://nowhere.example/n"))
        .isInstanceOfSatisfying(OpenApiException.class,
            e -> assertThat(e.subCode()).isEqualTo(OpenApiException.INVALID_NOTIFY_URL))
        .hasMessageContaining("does not resolve");
  }

  @Test
  void numericHostTricksAreRefused() {
    // 2130706433 is 127.0.0.1 as one number: refused as loopback, or as a name that does not
    // resolve, depending on the JDK's literal parsing; never accepted.
    assertThatThrownBy(() -> PUBLIC.check("http://2130706433/n"))
        .isInstanceOf(OpenApiException.class);
    assertThatThrownBy(() -> PUBLIC.check("http://0x7f000001/n"))
        .isInstanceOf(OpenApiException.class);
  }

  @Test
  void theMessageSaysWhatTheHostResolvedTo() {
    assertThatThrownBy(() -> PUBLIC.check("http://internal.example/n"))
        .hasMessageContaining("internal.example resolves to 10.1.2.3")
        .hasMessageContaining("public mode");
  }
}
