package dev.hutong.openapi.gateway;

/** Whether the gateway serves an app's calls. */
public enum AppStatus {
  /** Calls are served. */
  ACTIVE,
  /** The operator stopped the app's calls; they fail with isv.invalid-app-id until reinstated. */
  SUSPENDED
}
