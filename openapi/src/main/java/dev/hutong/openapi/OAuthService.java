package dev.hutong.openapi;

import java.util.Set;
import java.util.UUID;

/** TEMPORARY STUB. */
public final class OAuthService {
  public String issueCode(UUID userId, String appId, Set<String> scopes) {
    return "stub" + UUID.randomUUID().toString().replace("-", "");
  }
}
