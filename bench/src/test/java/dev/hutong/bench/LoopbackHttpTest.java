package dev.hutong.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The bench's HTTP client against a socket that answers with canned HTTP/1.1 responses. */
class LoopbackHttpTest {

  /** Serves the answers in order on one connection, recording each request's head and body. */
  private static final class Canned implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final List<String> requests = new CopyOnWriteArrayList<>();
    final Thread thread;

    Canned(List<String> answers) throws IOException {
      thread = Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          for (String answer : answers) {
            requests.add(request(in));
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        } catch (IOException e) {
          requests.add("failed: " + e);
        }
      });
    }

    private static String request(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the client closed the connection");
        }
        head.write(b);
      }
      String h = head.toString(StandardCharsets.US_ASCII);
      int length = Integer.parseInt(h.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
      return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join();
    }
  }

  @Test
  void readsLengthAndChunkedAnswersOnOneConnection() throws Exception {
    try (Canned c = new Canned(List.of(
            "HTTP/1.1 201 Created\r\nContent-Length: 7\r\nContent-Type: application/json\r\n\r\n"
                + "{\"a\":1}",
            "HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"b\"\r\n3\r\n:2}"
                + "\r\n0\r\n\r\n"));
        LoopbackHttp http = new LoopbackHttp(c.uri())) {
      LoopbackHttp.Response first = http.post("/api/x", "tok", "{\"s\":1}".getBytes());
      assertThat(first.status()).isEqualTo(201);
      assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
      LoopbackHttp.Response second = http.post("/api/y", "tok2", "{}".getBytes());
      assertThat(second.status()).isEqualTo(409);
      assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");
      assertThat(c.requests.get(0)).startsWith("POST /api/x HTTP/1.1\r\n")
          .contains("Authorization: Bearer tok\r\n").endsWith("\r\n\r\n{\"s\":1}");
      assertThat(c.requests.get(1)).startsWith("POST /api/y HTTP/1.1\r\n").endsWith("{}");
    }
  }

  @Test
  void aConnectionClosedMidAnswerIsAnError() throws Exception {
    try (Canned c = new Canned(List.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
        LoopbackHttp http = new LoopbackHttp(c.uri())) {
      // the canned server closes the connection after the answer: 5 of 10 body bytes came
      assertThatThrownBy(() -> http.post("/p", "t", new byte[0])).isInstanceOf(IOException.class);
    }
  }
}
