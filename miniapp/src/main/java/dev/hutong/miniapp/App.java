package dev.hutong.miniapp;

import java.time.Instant;
import java.util.UUID;

/** A mini-program. Instances name their template; the bound template version is per version. */
public record App(String appId, UUID merchantId, AppKind kind, AppProfile profile,
    String templateAppId, AppStatus status, Instant createdAt, Instant updatedAt) {}
