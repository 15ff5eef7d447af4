package dev.hutong.server;

import dev.hutong.openapi.NotifyUrlPolicy;
import dev.hutong.pay.NotificationTransport;
import dev.hutong.pay.OutboundNotification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers one asynchronous notification: signs it (through {@link Signing}, the open platform's
 * platform key), POSTs the form to the notify_url and returns the response body. The dispatcher
 * decides what the body means ({@code success} or not); this class only refuses what is not a
 * delivery at all: a non-2xx status, a redirect (never followed: a redirect to an internal
 * address would bypass the address check), a timeout.
 *
 * <p>Bounded: the whole send — name resolution, connect, request, response — gives up after
 * {@code budget}, which the composition root sets to less than half of the dispatcher's lease;
 * only the first {@link #RESPONSE_BYTES_MAX} bytes of a response are read.
 *
 * <p>In public mode the host is resolved first and every address it resolves to must be a public
 * one ({@link NotifyUrlPolicy#isPublicAddress}, the rule the open platform applies when an app or
 * a request names the URL: this is the re-check at the moment of connecting); a notify_url naming this machine, the private network or the
 * cloud's metadata service is refused before any connection is made (server-side request
 * forgery). The JDK's HTTP client resolves the name again when it connects, but through the same
 * JVM-wide address cache (30 s by default), so a DNS answer that changes between the check and
 * the connection (rebinding) would have to outlast that cache.
 */
final class HttpNotificationTransport implements NotificationTransport {
  /** The first bytes of a response are enough: the body that counts is exactly "success". */
  static final int RESPONSE_BYTES_MAX = 4096;
  /** notify_url length accepted (Alipay's limit on the parameter is 256). */
  static final int URL_CHARS_MAX = 2048;

  /** A signed form, ready to POST. */
  record SignedBody(String contentType, byte[] body) {}

  /** Signs a notification's fields (adds charset, sign_type and sign) as a form body. */
  @FunctionalInterface
  interface Signing {
    SignedBody sign(OutboundNotification notification);
  }

  /** Name resolution; replaceable in tests. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final HttpClient client;
  private final Signing signing;
  private final Duration budget;
  private final boolean publicMode;
  private final Resolver resolver;
  private final Executor resolving;

  HttpNotificationTransport(HttpClient client, Signing signing, Duration budget,
      boolean publicMode, Resolver resolver, Executor resolving) {
    this.client = client;
    this.signing = signing;
    this.budget = budget;
    this.publicMode = publicMode;
    this.resolver = resolver;
    this.resolving = resolving;
  }

  /** The client: HTTP/1.1, a connect timeout, and redirects never followed. */
  static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public String send(OutboundNotification notification) throws Exception {
    long deadlineNanos = System.nanoTime() + budget.toNanos();
    URI uri = parse(notification.notifyUrl());
    if (publicMode) {
      requirePublicHost(uri.getHost(), deadlineNanos);
    }
    SignedBody signed = signing.sign(notification);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(remaining(deadlineNanos))
        .header("Content-Type", signed.contentType())
        .header("User-Agent", "Hutong-Notify/1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body()))
        .build();
    CompletableFuture<HttpResponse<byte[]>> sending =
        client.sendAsync(request, info -> new BoundedBody(RESPONSE_BYTES_MAX));
    HttpResponse<byte[]> response = await(sending, deadlineNanos, "sending to " + hostOf(uri));
    String body = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() / 100 != 2) {
      String location = response.headers().firstValue("Location").map(l -> " to " + l).orElse("");
      throw new IOException("HTTP " + response.statusCode() + " from the notify_url"
          + (response.statusCode() / 100 == 3 ? " (a redirect" + location + "; redirects are not"
          + " followed: configure the final URL)" : "") + (body.isEmpty() ? "" : ": " + body));
    }
    return body;
  }

  /** http or https, a host, no fragment; everything else is not a notify URL. */
  static URI parse(String url) throws IOException {
    if (url == null || url.isBlank()) {
      throw new IOException("the notification has no notify_url");
    }
    if (url.length() > URL_CHARS_MAX) {
      throw new IOException("the notify_url is longer than " + URL_CHARS_MAX + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IOException("the notify_url is not a valid URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IOException("the notify_url must be http:// or https://, got '" + url + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IOException("the notify_url has no host: '" + url + "'");
    }
    return uri;
  }

  private void requirePublicHost(String host, long deadlineNanos) throws Exception {
    String bare = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    // Resolved on another thread so that a slow DNS server cannot hold the send past its budget.
    CompletableFuture<InetAddress[]> resolution = CompletableFuture.supplyAsync(() -> {
      try {
        return resolver.resolve(bare);
      } catch (UnknownHostException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, resolving);
    InetAddress[] addresses = await(resolution, deadlineNanos, "resolving " + host);
    if (addresses.length == 0) {
      throw new UnknownHostException(host);
    }
    for (InetAddress address : addresses) {
      if (!NotifyUrlPolicy.isPublicAddress(address)) {
        throw new RefusedAddressException("the notify_url host " + host + " resolves to "
            + address.getHostAddress() + ", a loopback, private, link-local or reserved"
            + " address; in public mode notifications go only to public addresses");
      }
    }
  }

  private static <T> T await(CompletableFuture<T> future, long deadlineNanos, String what)
      throws Exception {
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // For a send, cancelling aborts the exchange and closes its connection.
      future.cancel(true);
      throw new HttpTimeoutException("gave up " + what + ": no answer within the time a"
          + " notification may take");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
  }

  private static String hostOf(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  /** A notify_url the public-mode address check refused. */
  static final class RefusedAddressException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedAddressException(String message) {
      super(message);
    }
  }

  /** Collects at most {@code max} bytes of a response body, then stops reading. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int max;
    private Flow.Subscription subscription;

    BoundedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int take = Math.min(buffer.remaining(), max - bytes.size());
        byte[] chunk = new byte[take];
        buffer.get(chunk);
        bytes.write(chunk, 0, take);
        if (bytes.size() >= max) {
          subscription.cancel();
          result.complete(bytes.toByteArray());
          return;
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
