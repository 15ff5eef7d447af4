package dev.hutong.server;

import dev.hutong.identity.Merchants;
import dev.hutong.miniapp.Apps;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Which apps belong to a frozen merchant, so that search results can say so before the user opens
 * one (the runtime shows the notice on opening; payments are refused by pay's risk check either
 * way). Two queries per page of results, whatever its size.
 */
final class SuspendedApps {
  private final Apps apps;
  private final Merchants merchants;

  SuspendedApps(Apps apps, Merchants merchants) {
    this.apps = apps;
    this.merchants = merchants;
  }

  /** The ids among {@code appIds} (at most 200) whose merchant is frozen. */
  Set<String> among(Collection<String> appIds) {
    Map<String, UUID> owners = apps.merchantsOf(appIds);
    Set<UUID> frozen = merchants.frozenAmong(Set.copyOf(owners.values()));
    return owners.entrySet().stream().filter(e -> frozen.contains(e.getValue()))
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }
}
