package dev.hutong.miniapp;

/** The version of an app one user is served, and how the bridge labels it. */
public record ResolvedVersion(String appId, SemVer version, EnvVersion envVersion) {}
