package dev.hutong.miniapp;

import java.time.Instant;

/** One recorded lifecycle step of a version ({@code from} is null for the upload). */
public record Transition(String appId, SemVer version, int ordinal, VersionState from,
    VersionState to, String actor, String note, Instant at) {}
