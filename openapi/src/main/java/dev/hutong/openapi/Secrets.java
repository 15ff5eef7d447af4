package dev.hutong.openapi;

import java.security.SecureRandom;

/** Random bearer secrets (OAuth codes and tokens). Only their SHA-256 is ever stored. */
final class Secrets {
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** {@code chars} random base62 characters (5.95 bits each). */
  static String base62(int chars) {
    StringBuilder out = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      out.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return out.toString();
  }

  /** True when the text could be one of our secrets: 1 to 128 ASCII letters and digits. */
  static boolean isPlausible(String text) {
    if (text == null || text.isEmpty() || text.length() > 128) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }
}
