package dev.hutong.server.web;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a QR code from a picture the user picked, for browsers without {@code BarcodeDetector}.
 * The picture's size is read from its header BEFORE it is decoded, so a small file that claims
 * to be a gigapixel image (a decompression bomb) is refused without allocating anything.
 */
public final class QrImageReader {
  /** Largest upload: a phone photo, recompressed by the browser, is well under this. */
  public static final int BYTES_MAX = 4 * 1024 * 1024;
  /** Largest picture side in pixels. */
  public static final int SIDE_PIXELS_MAX = 4096;

  private QrImageReader() {}

  /** The text of the first QR code in a PNG, JPEG, GIF or BMP picture; empty when none is found. */
  public static Optional<String> read(byte[] picture) {
    BufferedImage image = decode(picture);
    int w = image.getWidth();
    int h = image.getHeight();
    int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, pixels)));
    try {
      return Optional.of(new MultiFormatReader().decode(bitmap, Map.of(
          DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
          DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static BufferedImage decode(byte[] picture) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(picture))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw unreadable();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        if (reader.getWidth(0) > SIDE_PIXELS_MAX || reader.getHeight(0) > SIDE_PIXELS_MAX) {
          throw WebException.badRequest("image_too_large", "pictures may be at most "
              + SIDE_PIXELS_MAX + " pixels on a side");
        }
        return reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof WebException w) {
        throw w;
      }
      throw unreadable();
    }
  }

  private static WebException unreadable() {
    return WebException.badRequest("unreadable_image",
        "this is not a picture we can read (PNG, JPEG, GIF or BMP)");
  }
}
