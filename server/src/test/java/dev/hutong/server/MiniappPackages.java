package dev.hutong.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Mini-program packages for tests: zips built in memory. */
final class MiniappPackages {
  private MiniappPackages() {}

  /** A valid one-page package; {@code marker} goes into the page so versions differ. */
  static byte[] hello(String marker) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("app.json", "{\"pages\":[\"pages/index/index\"],"
        + "\"window\":{\"defaultTitle\":\"Hello\"}}");
    files.put("pages/index/index.html", "<!doctype html><title>Hello</title><p>" + marker);
    return zip(files);
  }

  /** A template package: its instances must give a shopName and may give up to 30 tables. */
  static byte[] template(String marker) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("app.json", "{\"pages\":[\"pages/index/index\"]}");
    files.put("pages/index/index.html", "<!doctype html><title>Shop</title><p>" + marker);
    files.put("ext.schema.json", "{\"type\":\"object\",\"required\":[\"shopName\"],"
        + "\"properties\":{\"shopName\":{\"type\":\"string\",\"minLength\":1},"
        + "\"tables\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":30}}}");
    return zip(files);
  }

  static byte[] zip(Map<String, String> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
