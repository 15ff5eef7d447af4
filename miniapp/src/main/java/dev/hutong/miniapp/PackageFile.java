package dev.hutong.miniapp;

/** One file of a package: where it is, what it hashes to, its real size and its media type. */
public record PackageFile(String path, String sha256, long sizeBytes, String contentType) {}
