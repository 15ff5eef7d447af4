package dev.hutong.miniapp;

import java.util.List;

/**
 * What a version changes against the app's online version (or against nothing, when none is
 * online — then every file is "added"): files by path and content hash, the network domains and
 * the permission scopes it newly asks for (what a reviewer must look at first).
 */
public record VersionDiff(
    SemVer against,
    List<String> filesAdded,
    List<String> filesRemoved,
    List<String> filesChanged,
    List<String> domainsAdded,
    List<String> domainsRemoved,
    List<String> scopesAdded) {}
