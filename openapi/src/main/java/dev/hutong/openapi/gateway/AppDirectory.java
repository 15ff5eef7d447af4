package dev.hutong.openapi.gateway;

import java.util.Optional;

/**
 * Looks registered apps up by app_id. Implementations may block (a database); the gateway calls
 * this once per request, from the request's own (virtual) thread. An exception thrown here is
 * answered as 20000 aop.unknow-error and logged.
 */
@FunctionalInterface
public interface AppDirectory {
  Optional<RegisteredApp> find(String appId);
}
