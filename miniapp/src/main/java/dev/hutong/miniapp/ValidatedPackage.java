package dev.hutong.miniapp;

import java.util.Map;

/** A package that passed every rule, with the unpacked bytes of each file (at most 8 MB in all). */
public record ValidatedPackage(PackageManifest manifest, Map<String, byte[]> contents) {}
