package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One version of an app. Templates' versions carry {@code extSchema}; instances' versions name
 * the template version whose code they run and carry their {@code ext}. {@code grayPercent} is 0
 * unless the version is in {@link VersionState#GRAY}.
 */
public record Version(
    String appId,
    SemVer version,
    VersionState state,
    JsonNode appJson,
    JsonNode extSchema,
    String templateAppId,
    SemVer templateVersion,
    JsonNode ext,
    long mainBytes,
    long totalBytes,
    int fileCount,
    int grayPercent,
    AuditSubmission audit,
    List<Finding> findings,
    Instant approvedAt,
    Instant onlineAt,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {}
