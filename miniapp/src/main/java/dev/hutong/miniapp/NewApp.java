package dev.hutong.miniapp;

import java.util.UUID;

/**
 * A request to create an app. {@code appId} may be null, for a generated 16-digit id; a given one
 * must be lowercase letters, digits and hyphens (it is also the host label of the app's origin).
 */
public record NewApp(String appId, UUID merchantId, AppKind kind, AppProfile profile) {}
