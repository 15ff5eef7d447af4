package dev.hutong.openapi;

/** TEMPORARY STUB. */
public record OpenPlatformSettings(boolean publicMode) {
  public static OpenPlatformSettings defaults(boolean publicMode) {
    return new OpenPlatformSettings(publicMode);
  }
}
