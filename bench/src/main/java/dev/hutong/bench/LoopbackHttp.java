package dev.hutong.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection for one benchmark client: writes a POST, reads the status
 * line, headers and a Content-Length or chunked body. Exists because {@code java.net.http}
 * spends about as much CPU per request as the server does, on the same two cores, which then
 * measures the client; the requests on the wire are the same. Not thread safe: one per client.
 */
final class LoopbackHttp implements AutoCloseable {
  static final int HEAD_BYTES_MAX = 16 * 1024;
  static final int BODY_BYTES_MAX = 1024 * 1024;

  /** A status and the body's bytes. */
  record Response(int status, byte[] body) {}

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  LoopbackHttp(URI base) {
    this.host = base.getHost();
    this.port = base.getPort();
  }

  Response post(String path, String bearer, byte[] body) throws IOException {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\nAuthorization: Bearer " + bearer + "\r\nContent-Type: application/json"
        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    if (socket == null) {
      connect();
    }
    out.write(head);
    out.write(body);
    out.flush();
    return read();
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(60_000);
    in = new BufferedInputStream(socket.getInputStream(), 8192);
    out = socket.getOutputStream();
  }

  private Response read() throws IOException {
    String[] lines = head().split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x answer: " + lines[0]);
    }
    int length = -1;
    boolean chunked = false;
    boolean close = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Integer.parseInt(value);
        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    byte[] body = chunked ? chunks() : exactly(length < 0 ? 0 : length);
    if (close) {
      close();
    }
    return new Response(Integer.parseInt(status[1]), body);
  }

  /** The status line and headers, up to the empty line. */
  private String head() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    int last = 0; // the last four bytes read
    while (last != 0x0D0A0D0A) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      b.write(c);
      last = (last << 8) | c;
      if (b.size() > HEAD_BYTES_MAX) {
        throw new IOException("headers longer than " + HEAD_BYTES_MAX + " bytes");
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  private byte[] exactly(int n) throws IOException {
    if (n > BODY_BYTES_MAX) {
      throw new IOException("a body of " + n + " bytes");
    }
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new IOException("the body ended after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }

  private byte[] chunks() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
      if (n == 0) {
        line(); // no trailers are sent to us; the empty line ends the body
        return body.toByteArray();
      }
      if (body.size() + n > BODY_BYTES_MAX) {
        throw new IOException("a body over " + BODY_BYTES_MAX + " bytes");
      }
      body.write(exactly(n));
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0 || s.length() > HEAD_BYTES_MAX) {
        throw new IOException("a chunk line ended early or is too long");
      }
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
