package dev.hutong.server;

import dev.hutong.server.runtime.AppOriginRoutes;
import dev.hutong.server.runtime.BridgeRoutes;
import io.helidon.webserver.http.HttpRouting;

/**
 * The mini-program runtime's routes: the apps' origins (matched by Host, before anything else, so
 * an app's origin never serves the shell's pages or APIs), the bridge's API for the shell, and
 * the operator's direct install.
 */
record RuntimeRoutes(AppOriginRoutes origins, BridgeRoutes bridge, MiniappAdminRoutes admin) {
  void registerFirst(HttpRouting.Builder routing) {
    routing.any(origins::handle);
  }

  /** Before the admin API's catch-all. */
  void register(HttpRouting.Builder routing) {
    bridge.register(routing);
    admin.register(routing);
  }
}
