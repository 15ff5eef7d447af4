package dev.hutong.openapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hutong.openapi.gateway.Gateway;
import dev.hutong.openapi.gateway.GatewayLimits;
import dev.hutong.openapi.gateway.GatewayResponse;
import dev.hutong.openapi.gateway.RawRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test-only HTTP adapter for the gateway: the JDK's server on 127.0.0.1 and a free port. The
 * production adapter (Helidon) lives in the server module.
 */
final class GatewayServer implements AutoCloseable {
  static final String PATH = "/gateway.do";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private GatewayServer(HttpServer server) {
    this.server = server;
  }

  static GatewayServer start(Gateway gateway) {
    try {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      GatewayServer adapter = new GatewayServer(server);
      int bodyMax = GatewayLimits.defaults().bodyBytesMax();
      server.createContext(PATH, exchange -> serve(exchange, gateway, bodyMax));
      server.setExecutor(adapter.executor);
      server.start();
      return adapter;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  private static void serve(HttpExchange exchange, Gateway gateway, int bodyMax)
      throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readNBytes(bodyMax + 1);
      GatewayResponse response = gateway.handle(new RawRequest(exchange.getRequestMethod(),
          exchange.getRequestURI().getRawQuery(),
          exchange.getRequestHeaders().getFirst("Content-Type"), body));
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
