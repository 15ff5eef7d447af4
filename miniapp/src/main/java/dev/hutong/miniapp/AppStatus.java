package dev.hutong.miniapp;

/** Whether users can find and open the app: it has an online version, had one, or never had. */
public enum AppStatus {
  DEVELOPING, ONLINE, OFFLINE
}
