package dev.hutong.db.archfixture;

import dev.hutong.server.ServerConfig;
import java.net.http.HttpClient;

/**
 * A deliberate breach of the module rules, in test code only: the architecture test checks that
 * its rules report it. It poses as a class of the db module that uses the server and HTTP.
 */
public final class DbClassThatKnowsTheServer {
  private DbClassThatKnowsTheServer() {}

  public static int port(ServerConfig config) {
    return config.port();
  }

  public static HttpClient client() {
    return HttpClient.newHttpClient();
  }
}
