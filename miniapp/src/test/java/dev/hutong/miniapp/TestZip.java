package dev.hutong.miniapp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zips byte by byte, so tests can make the broken ones java.util.zip refuses to write:
 * duplicate names, symlinks, non-UTF-8 names, lying sizes and checksums, overlapping entries.
 */
final class TestZip {
  static final int UNIX_FILE = 0100644 << 16;

  static final class Entry {
    byte[] name;
    byte[] localName;
    byte[] data;
    int method = 8;
    int madeBy = 3 << 8 | 20;
    long externalAttributes = UNIX_FILE & 0xFFFFFFFFL;
    int flags = 0x0800;
    Long declaredSize;
    Long declaredCompressedSize;
    Long crc;
    Long offsetOverride;
  }

  private final List<Entry> entries = new ArrayList<>();
  private Integer declaredEntryCount;

  static TestZip minimal() {
    return new TestZip()
        .file("app.json", "{\"pages\":[\"pages/index/index\"],\"window\":{\"defaultTitle\":\"Demo\"},"
            + "\"permission\":{\"scope.userLocation\":{\"desc\":\"Find the nearest cinema\"}},"
            + "\"domains\":[\"https://api.example.com\"]}")
        .file("pages/index/index.html", "<!doctype html><title>Home</title><script src=\"/app.js\""
            + " type=\"module\"></script>")
        .file("app.js", "my.getSystemInfo();")
        .file("app.css", "body { margin: 0 }");
  }

  TestZip file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  TestZip file(String name, byte[] data) {
    Entry e = new Entry();
    e.name = name.getBytes(StandardCharsets.UTF_8);
    e.data = data;
    entries.add(e);
    return this;
  }

  TestZip rawName(byte[] name, String content) {
    file("x", content);
    last().name = name;
    last().flags = 0;
    return this;
  }

  TestZip dir(String name) {
    file(name, new byte[0]);
    last().method = 0;
    last().externalAttributes = (040755L << 16) | 0x10;
    return this;
  }

  TestZip symlink(String name, String target) {
    file(name, target);
    last().method = 0;
    last().externalAttributes = 0120777L << 16;
    return this;
  }

  /** Changes the entry added last. */
  TestZip with(Consumer<Entry> change) {
    change.accept(last());
    return this;
  }

  /** Changes the entry named {@code name}. */
  TestZip withEntry(String name, Consumer<Entry> change) {
    change.accept(entries.stream()
        .filter(e -> new String(e.name, StandardCharsets.UTF_8).equals(name)).findFirst()
        .orElseThrow());
    return this;
  }

  TestZip remove(String name) {
    entries.removeIf(e -> new String(e.name, StandardCharsets.UTF_8).equals(name));
    return this;
  }

  TestZip declaredEntryCount(int n) {
    declaredEntryCount = n;
    return this;
  }

  private Entry last() {
    return entries.get(entries.size() - 1);
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<long[]> meta = new ArrayList<>();
    List<byte[]> packed = new ArrayList<>();
    for (Entry e : entries) {
      byte[] stored = e.method == 8 ? deflate(e.data) : e.data;
      CRC32 crc = new CRC32();
      crc.update(e.data);
      long crcValue = e.crc != null ? e.crc : crc.getValue();
      long size = e.declaredSize != null ? e.declaredSize : e.data.length;
      long csize = e.declaredCompressedSize != null ? e.declaredCompressedSize : stored.length;
      long offset = out.size();
      byte[] localName = e.localName != null ? e.localName : e.name;
      u32(out, 0x04034b50);
      u16(out, 20);
      u16(out, e.flags);
      u16(out, e.method);
      u16(out, 0);
      u16(out, 0x21);
      u32(out, crcValue);
      u32(out, csize);
      u32(out, size);
      u16(out, localName.length);
      u16(out, 0);
      out.writeBytes(localName);
      out.writeBytes(stored);
      meta.add(new long[] {crcValue, csize, size, e.offsetOverride != null ? e.offsetOverride
          : offset});
      packed.add(stored);
    }
    long cdStart = out.size();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      long[] m = meta.get(i);
      u32(out, 0x02014b50);
      u16(out, e.madeBy);
      u16(out, 20);
      u16(out, e.flags);
      u16(out, e.method);
      u16(out, 0);
      u16(out, 0x21);
      u32(out, m[0]);
      u32(out, m[1]);
      u32(out, m[2]);
      u16(out, e.name.length);
      u16(out, 0);
      u16(out, 0);
      u16(out, 0);
      u16(out, 0);
      u32(out, e.externalAttributes);
      u32(out, m[3]);
      out.writeBytes(e.name);
    }
    long cdSize = out.size() - cdStart;
    int count = declaredEntryCount != null ? declaredEntryCount : entries.size();
    u32(out, 0x06054b50);
    u16(out, 0);
    u16(out, 0);
    u16(out, count);
    u16(out, count);
    u32(out, cdSize);
    u32(out, cdStart);
    u16(out, 0);
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write((v >>> 8) & 0xFF);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    u16(out, (int) (v & 0xFFFF));
    u16(out, (int) ((v >>> 16) & 0xFFFF));
  }
}
