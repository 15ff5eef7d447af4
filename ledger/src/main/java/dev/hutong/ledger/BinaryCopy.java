package dev.hutong.ledger;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * Builds a PostgreSQL binary COPY stream: the fastest way to load rows, with no text parsing on
 * the server. Format: signature, flags, header extension, then per row a field count and
 * (length, bytes) per field, then −1.
 */
final class BinaryCopy {
  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

  private final ByteArrayOutputStream bytes;
  private final DataOutputStream out;
  private final int fields;

  BinaryCopy(int fields, int rowsExpected) {
    this.fields = fields;
    this.bytes = new ByteArrayOutputStream(64 + rowsExpected * fields * 14);
    this.out = new DataOutputStream(bytes);
    try {
      out.write(SIGNATURE);
      out.writeInt(0);
      out.writeInt(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  BinaryCopy row() {
    try {
      out.writeShort(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  BinaryCopy uuid(UUID value) {
    try {
      out.writeInt(16);
      out.writeLong(value.getMostSignificantBits());
      out.writeLong(value.getLeastSignificantBits());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  BinaryCopy int8(long value) {
    try {
      out.writeInt(8);
      out.writeLong(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  BinaryCopy int4(int value) {
    try {
      out.writeInt(4);
      out.writeInt(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The finished stream. */
  ByteArrayInputStream finish() {
    try {
      out.writeShort(-1);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }
}
