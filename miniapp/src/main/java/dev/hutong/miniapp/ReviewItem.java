package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A version waiting for review, with what the operator needs to decide. For a template instance
 * {@code templateAppId} is set, {@code ext} is the content to judge and {@code extChanges} what
 * changed since the instance's previous version (everything, for its first).
 */
public record ReviewItem(String appId, String appName, String merchantName, SemVer version,
    AuditSubmission submission, Instant submittedAt, VersionDiff diff, String templateAppId,
    JsonNode ext, List<ExtChange> extChanges) {}
