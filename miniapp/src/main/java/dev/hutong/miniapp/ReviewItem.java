package dev.hutong.miniapp;

import java.time.Instant;

/** A version waiting for review, with what the operator needs to decide. */
public record ReviewItem(String appId, String appName, String merchantName, SemVer version,
    AuditSubmission submission, Instant submittedAt, VersionDiff diff) {}
