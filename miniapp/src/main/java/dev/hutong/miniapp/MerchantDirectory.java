package dev.hutong.miniapp;

import java.util.Optional;
import java.util.UUID;

/**
 * The merchants, as this module needs them: whether one exists and its name (indexed for search).
 * The server wires it to identity's {@code Merchants}; tests pass a map.
 */
@FunctionalInterface
public interface MerchantDirectory {
  Optional<String> merchantName(UUID merchantId);
}
