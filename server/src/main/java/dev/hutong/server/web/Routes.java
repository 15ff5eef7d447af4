package dev.hutong.server.web;

import io.helidon.webserver.http.HttpRouting;

/** A group of routes that registers itself (the shell's, the portal's, the runtime's, ...). */
public interface Routes {
  void register(HttpRouting.Builder routing);
}
