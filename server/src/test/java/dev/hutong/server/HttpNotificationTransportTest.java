package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.hutong.pay.OutboundNotification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's notification transport against a JDK HTTP server on loopback. */
class HttpNotificationTransportTest {
  private static final byte[] FORM = "a=1&sign=xyz".getBytes(StandardCharsets.US_ASCII);
  private HttpServer merchant;
  private final AtomicInteger hits = new AtomicInteger();
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startMerchant() throws IOException {
    merchant = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    merchant.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    merchant.createContext("/ok", exchange -> {
      hits.incrementAndGet();
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders()
          .getFirst("Content-Type") + " " + new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.US_ASCII));
      respond(exchange, 200, "success");
    });
    merchant.createContext("/fail", exchange -> {
      hits.incrementAndGet();
      respond(exchange, 500, "oops");
    });
    merchant.createContext("/moved", exchange -> {
      hits.incrementAndGet();
      exchange.getResponseHeaders().add("Location", url("/ok"));
      respond(exchange, 302, "");
    });
    merchant.createContext("/slow", exchange -> {
      hits.incrementAndGet();
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(exchange, 200, "success");
    });
    merchant.createContext("/huge", exchange -> respond(exchange, 200, "x".repeat(1 << 20)));
    merchant.start();
  }

  @AfterEach
  void stopMerchant() {
    merchant.stop(0);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status,
      String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + merchant.getAddress().getPort() + path;
  }

  private static HttpNotificationTransport transport(boolean publicMode, Duration budget,
      HttpNotificationTransport.Resolver resolver) {
    return new HttpNotificationTransport(HttpNotificationTransport.newClient(Duration.ofSeconds(2)),
        n -> new HttpNotificationTransport.SignedBody(
            "application/x-www-form-urlencoded;charset=UTF-8", FORM),
        budget, publicMode, resolver, Executors.newVirtualThreadPerTaskExecutor());
  }

  private static HttpNotificationTransport local() {
    return transport(false, Duration.ofSeconds(10), InetAddress::getAllByName);
  }

  private static OutboundNotification to(String url) {
    return new OutboundNotification(UUID.randomUUID(), "n1", "app", "t1", url, 1,
        Map.of("a", "1"));
  }

  @Test
  void postsTheSignedFormAndReturnsTheBody() throws Exception {
    assertThat(local().send(to(url("/ok")))).isEqualTo("success");
    assertThat(received).containsExactly(
        "POST application/x-www-form-urlencoded;charset=UTF-8 a=1&sign=xyz");
  }

  @Test
  void aNon2xxStatusIsNotADelivery() {
    assertThatThrownBy(() -> local().send(to(url("/fail"))))
        .isInstanceOf(IOException.class).hasMessage("HTTP 500 from the notify_url: oops");
  }

  @Test
  void redirectsAreNeverFollowed() {
    assertThatThrownBy(() -> local().send(to(url("/moved"))))
        .isInstanceOf(IOException.class).hasMessageStartingWith("HTTP 302 from the notify_url")
        .hasMessageContaining("redirects are not followed");
    assertThat(hits).hasValue(1);
    assertThat(received).isEmpty();
  }

  @Test
  void aSlowMerchantIsGivenUpOnWithinTheBudget() {
    long started = System.nanoTime();
    assertThatThrownBy(() -> transport(false, Duration.ofMillis(300), InetAddress::getAllByName)
        .send(to(url("/slow")))).isInstanceOf(HttpTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void onlyTheFirstBytesOfALongAnswerAreRead() throws Exception {
    assertThat(local().send(to(url("/huge"))))
        .hasSize(HttpNotificationTransport.RESPONSE_BYTES_MAX);
  }

  @Test
  void badUrlsAreRefused() {
    for (String url : new String[] {"", "ftp://example.com/n", "file:///etc/passwd",
        "http:///path", "not a url"}) {
      assertThatThrownBy(() -> local().send(to(url))).as(url).isInstanceOf(IOException.class);
    }
  }

  @Test
  void publicModeRefusesInternalAddressesBeforeConnecting() {
    HttpNotificationTransport transport = transport(true, Duration.ofSeconds(5), host ->
        switch (host) {
          case "intranet.example" -> new InetAddress[] {InetAddress.getByName("10.1.2.3")};
          case "mixed.example" -> new InetAddress[] {InetAddress.getByName("93.184.216.34"),
              InetAddress.getByName("192.168.1.1")};
          default -> InetAddress.getAllByName(host);
        });
    for (String url : new String[] {url("/ok"), "http://localhost:" + merchant.getAddress()
        .getPort() + "/ok", "http://[::1]:1/ok", "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/n", "http://intranet.example/n", "https://mixed.example/n",
        "http://[::ffff:127.0.0.1]:1/n", "http://0.0.0.0:1/n"}) {
      assertThatThrownBy(() -> transport.send(to(url))).as(url)
          .isInstanceOf(HttpNotificationTransport.RefusedAddressException.class)
          .hasMessageContaining("in public mode notifications go only to public addresses");
    }
    assertThat(hits).as("no connection was made").hasValue(0);
  }
}
