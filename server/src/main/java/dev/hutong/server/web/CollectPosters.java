package dev.hutong.server.web;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The print-ready collect-money poster a street merchant sticks on the counter: the merchant's
 * name, the QR code of its static collect code (error correction H: it survives grease and
 * scratches) and a line telling customers what to do. As SVG (scales to any printer) and as a
 * 1200 × 1500 PNG (10 cm × 12.7 cm at 300 dpi).
 */
final class CollectPosters {
  static final int PNG_WIDTH = 1200;
  static final int PNG_HEIGHT = 1500;
  static final String CALL_TO_ACTION = "Scan with Hutong to pay";

  private CollectPosters() {}

  static BitMatrix matrix(String code) {
    try {
      return new QRCodeWriter().encode(code, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.H, EncodeHintType.MARGIN, 4));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode the collect code", e);
    }
  }

  static String svg(String merchantName, String code) {
    BitMatrix m = matrix(code);
    int n = m.getWidth();
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        if (m.get(x, y)) {
          path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100mm\" height=\"127mm\""
        + " viewBox=\"0 0 1000 1270\"><rect width=\"1000\" height=\"1270\" fill=\"#fff\"/>"
        + "<text x=\"500\" y=\"130\" font-family=\"sans-serif\" font-size=\"72\""
        + " font-weight=\"bold\" text-anchor=\"middle\">" + escape(merchantName) + "</text>"
        + "<g transform=\"translate(100 190) scale(" + (800.0 / n) + ")\" shape-rendering=\"crispEdges\">"
        + "<path fill=\"#000\" d=\"" + path + "\"/></g>"
        + "<text x=\"500\" y=\"1120\" font-family=\"sans-serif\" font-size=\"48\" text-anchor=\"middle\">"
        + CALL_TO_ACTION + "</text></svg>";
  }

  static byte[] png(String merchantName, String code) {
    BitMatrix m = matrix(code);
    BufferedImage image = new BufferedImage(PNG_WIDTH, PNG_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, PNG_WIDTH, PNG_HEIGHT);
      g.setColor(Color.BLACK);
      centred(g, merchantName, new Font(Font.SANS_SERIF, Font.BOLD, 80), 150);
      int module = 960 / m.getWidth();
      int left = (PNG_WIDTH - module * m.getWidth()) / 2;
      for (int y = 0; y < m.getHeight(); y++) {
        for (int x = 0; x < m.getWidth(); x++) {
          if (m.get(x, y)) {
            g.fillRect(left + x * module, 220 + y * module, module, module);
          }
        }
      }
      centred(g, CALL_TO_ACTION, new Font(Font.SANS_SERIF, Font.PLAIN, 56), 1380);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void centred(Graphics2D g, String text, Font font, int baseline) {
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    g.drawString(text, Math.max(10, (PNG_WIDTH - fm.stringWidth(text)) / 2), baseline);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
