package dev.hutong.openapi.gateway;

import java.util.regex.Pattern;

/** The shape of an app_id, checked before any lookup so junk never reaches the directory. */
final class AppIds {
  static final int CHARS_MAX = 64;
  private static final Pattern WELL_FORMED = Pattern.compile("[0-9A-Za-z_-]{1," + CHARS_MAX + "}");

  private AppIds() {}

  static boolean isWellFormed(String appId) {
    return appId != null && WELL_FORMED.matcher(appId).matches();
  }
}
