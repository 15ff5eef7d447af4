package dev.hutong.openapi.gateway;

import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway needs to know about an app: the key that verifies its requests, the sign types
 * it may use, whether it is served, where its notifications go by default, and whose it is.
 *
 * @param defaultNotifyUrl used when a request carries no notify_url; null when the app has none
 */
public record RegisteredApp(
    String appId,
    String merchantId,
    RSAPublicKey publicKey,
    Set<SignType> signTypes,
    AppStatus status,
    String defaultNotifyUrl) {

  public RegisteredApp {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(merchantId, "merchantId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(status, "status");
    signTypes = Set.copyOf(Objects.requireNonNull(signTypes, "signTypes"));
    if (!AppIds.isWellFormed(appId)) {
      throw new IllegalArgumentException("app_id '" + appId + "' is not 1 to "
          + AppIds.CHARS_MAX + " letters, digits, '_' or '-'");
    }
    KeyPairs.requireBits(publicKey.getModulus().bitLength());
    if (signTypes.isEmpty()) {
      throw new IllegalArgumentException("app " + appId + " allows no sign type; allow RSA2");
    }
  }

  public Optional<String> notifyUrl() {
    return Optional.ofNullable(defaultNotifyUrl);
  }
}
