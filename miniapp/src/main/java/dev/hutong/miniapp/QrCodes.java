package dev.hutong.miniapp;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.imageio.ImageIO;

/** QR codes of launch links (ZXing): PNG bytes, SVG text, and text for a terminal. */
public final class QrCodes {
  public static final int TEXT_CHARS_MAX = 2048;
  public static final int PNG_PX_MIN = 64;
  public static final int PNG_PX_MAX = 2048;
  /** The quiet zone the QR specification asks for, in modules. */
  private static final int MARGIN_MODULES = 4;

  private QrCodes() {}

  /** The QR code's modules (dark = true), with the quiet zone. */
  public static BitMatrix matrix(String text) {
    if (text == null || text.isEmpty() || text.length() > TEXT_CHARS_MAX) {
      throw Apps.invalid("QR text must be 1-" + TEXT_CHARS_MAX + " characters");
    }
    try {
      return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
          EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name(),
          EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
          EncodeHintType.MARGIN, MARGIN_MODULES));
    } catch (WriterException e) {
      throw Apps.invalid("cannot encode a QR code: " + e.getMessage());
    }
  }

  /** A black-on-white PNG about {@code sizePx} wide (whole pixels per module, so never blurry). */
  public static byte[] png(String text, int sizePx) {
    if (sizePx < PNG_PX_MIN || sizePx > PNG_PX_MAX) {
      throw Apps.invalid("PNG size must be " + PNG_PX_MIN + "-" + PNG_PX_MAX + " px");
    }
    BitMatrix m = matrix(text);
    int scale = Math.max(1, sizePx / m.getWidth());
    int w = m.getWidth() * scale;
    BufferedImage image = new BufferedImage(w, w, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, m.get(x / scale, y / scale) ? 0xFF000000 : 0xFFFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * An SVG with one path of unit squares (runs of dark modules merged per row), scalable to any
   * size; {@code shape-rendering="crispEdges"} keeps module edges sharp.
   */
  public static String svg(String text) {
    BitMatrix m = matrix(text);
    int n = m.getWidth();
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        if (m.get(x, y)) {
          int run = 1;
          while (x + run < n && m.get(x + run, y)) {
            run++;
          }
          path.append('M').append(x).append(' ').append(y).append('h').append(run)
              .append("v1h-").append(run).append('z');
          x += run - 1;
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n
        + "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n
        + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }

  /** The code drawn with Unicode half blocks, two rows per line, for `hutong miniapp preview`. */
  public static String terminal(String text) {
    BitMatrix m = matrix(text);
    int n = m.getWidth();
    StringBuilder s = new StringBuilder();
    for (int y = 0; y < n; y += 2) {
      for (int x = 0; x < n; x++) {
        boolean top = m.get(x, y);
        boolean bottom = y + 1 < n && m.get(x, y + 1);
        // Light modules are drawn as blocks and dark ones left blank, so that the code reads
        // dark-on-light on the usual dark terminal, as scanners expect.
        s.append(!top && !bottom ? '█' : !top ? '▀' : !bottom ? '▄' : ' ');
      }
      s.append('\n');
    }
    return s.toString();
  }
}
