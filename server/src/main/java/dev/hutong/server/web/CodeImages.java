package dev.hutong.server.web;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.oned.Code128Writer;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * QR codes and barcodes as SVG text, drawn with ZXing on the server (the browser has no encoder).
 * One path of unit squares, so the image is a few kilobytes and scales without blurring.
 */
public final class CodeImages {
  /** Longest text put into an image: payment codes are 18 digits, URLs a few dozen characters. */
  static final int TEXT_CHARS_MAX = 512;

  private CodeImages() {}

  /** A QR code of {@code text} with a 4-module quiet zone (what scanners need). */
  public static String qrSvg(String text) {
    check(text);
    try {
      BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
              EncodeHintType.MARGIN, 4));
      return svg(m, 1);
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode this text as a QR code", e);
    }
  }

  /** A Code 128 barcode of {@code text}, drawn {@code heightModules} modules high. */
  public static String barcodeSvg(String text, int heightModules) {
    check(text);
    BitMatrix row = new Code128Writer().encode(text, BarcodeFormat.CODE_128, 0, 0,
        Map.of(EncodeHintType.MARGIN, 10));
    return svg(row, heightModules);
  }

  private static String svg(BitMatrix m, int rowHeight) {
    int width = m.getWidth();
    int height = m.getHeight() * rowHeight;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < width; x++) {
        if (m.get(x, y)) {
          int run = 1;
          while (x + run < width && m.get(x + run, y)) {
            run++;
          }
          path.append('M').append(x).append(' ').append(y * rowHeight)
              .append('h').append(run).append('v').append(rowHeight)
              .append('h').append(-run).append('z');
          x += run - 1;
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + height
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }

  private static void check(String text) {
    if (text == null || text.isEmpty() || text.length() > TEXT_CHARS_MAX) {
      throw new IllegalArgumentException("code text must be 1 to " + TEXT_CHARS_MAX
          + " characters");
    }
  }
}
