package dev.hutong.server;

import com.alipay.api.internal.util.AlipaySignature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A merchant's notify endpoint: verifies each notification with the SDK's
 * {@code AlipaySignature.rsaCheckV1}, answers {@code fail} to the first {@code failuresEach}
 * deliveries of every notify_id and {@code success} after that.
 */
final class MerchantEndpoint implements AutoCloseable {
  /** One delivery as received. */
  record Delivery(Map<String, String> fields, boolean verified, boolean answeredSuccess) {}

  private final HttpServer server;
  private final int failuresEach;
  private volatile String platformPublicKey;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  MerchantEndpoint(int failuresEach) throws IOException {
    this.failuresEach = failuresEach;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/notify", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
  }

  void platformPublicKey(String key) {
    platformPublicKey = key;
  }

  List<Delivery> deliveries() {
    return deliveries;
  }

  /** The fields of the notifications answered success, verified, by notify_id. */
  Map<String, Map<String, String>> delivered() {
    Map<String, Map<String, String>> delivered = new HashMap<>();
    for (Delivery d : deliveries) {
      if (d.answeredSuccess()) {
        delivered.put(d.fields().get("notify_id"), d.fields());
      }
    }
    return delivered;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    Charset charset = contentType != null && contentType.toLowerCase().contains("charset=gbk")
        ? Charset.forName("GBK") : StandardCharsets.UTF_8;
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(URLDecoder.decode(pair.substring(0, eq), charset),
            URLDecoder.decode(pair.substring(eq + 1), charset));
      }
    }
    boolean verified;
    try {
      // rsaCheckV1 removes sign and sign_type from the map it gets: give it a copy.
      verified = platformPublicKey != null && AlipaySignature.rsaCheckV1(new HashMap<>(fields),
          platformPublicKey, fields.getOrDefault("charset", "UTF-8"),
          fields.getOrDefault("sign_type", "RSA2"));
    } catch (Exception e) {
      verified = false;
    }
    int attempt = attempts.computeIfAbsent(String.valueOf(fields.get("notify_id")),
        k -> new AtomicInteger()).incrementAndGet();
    boolean success = verified && attempt > failuresEach;
    deliveries.add(new Delivery(Map.copyOf(fields), verified, success));
    byte[] answer = (success ? "success" : "fail").getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(200, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
