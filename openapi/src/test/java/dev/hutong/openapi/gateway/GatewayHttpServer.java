package dev.hutong.openapi.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test-only HTTP adapter: the JDK's built-in server on 127.0.0.1 and a free port, turning each
 * exchange into a RawRequest for the gateway. The production adapter (Helidon) lives in the server
 * module. Public for the open platform's tests in the parent package.
 */
public final class GatewayHttpServer implements AutoCloseable {
  public static final String PATH = "/gateway.do";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private GatewayHttpServer(HttpServer server) {
    this.server = server;
  }

  /** With the default limits. */
  public static GatewayHttpServer start(Gateway gateway) {
    return start(gateway, GatewayLimits.defaults());
  }

  public static GatewayHttpServer start(Gateway gateway, GatewayLimits limits) {
    try {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      GatewayHttpServer adapter = new GatewayHttpServer(server);
      server.createContext(PATH, exchange -> serve(exchange, gateway, limits));
      server.setExecutor(adapter.executor);
      server.start();
      return adapter;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  private static void serve(HttpExchange exchange, Gateway gateway, GatewayLimits limits)
      throws IOException {
    try (exchange) {
      // One byte past the limit is enough for the gateway to see the body is too large.
      byte[] body = exchange.getRequestBody().readNBytes(limits.bodyBytesMax() + 1);
      RawRequest request = new RawRequest(exchange.getRequestMethod(),
          exchange.getRequestURI().getRawQuery(),
          exchange.getRequestHeaders().getFirst("Content-Type"), body);
      GatewayResponse response = gateway.handle(request);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
