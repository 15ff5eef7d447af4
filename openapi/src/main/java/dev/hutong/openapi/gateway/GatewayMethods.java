package dev.hutong.openapi.gateway;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The methods the gateway serves, registered explicitly by the composition root: a map from
 * method name to handler, with no scanning.
 */
public final class GatewayMethods {
  static final int NAME_CHARS_MAX = 128;
  /** Alipay's method names: dot-separated lower-case words, such as alipay.trade.query. */
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+){1,15}");
  /** Far above Alipay's whole catalogue; a bound on what a caller can register by mistake. */
  static final int METHODS_MAX = 4096;

  private final Map<String, GatewayMethod> methods;

  private GatewayMethods(Map<String, GatewayMethod> methods) {
    this.methods = methods;
  }

  public static GatewayMethods of(Map<String, GatewayMethod> methods) {
    Objects.requireNonNull(methods, "methods");
    if (methods.size() > METHODS_MAX) {
      throw new IllegalArgumentException(methods.size() + " methods; at most " + METHODS_MAX);
    }
    methods.forEach((name, handler) -> {
      if (!isWellFormedName(name)) {
        throw new IllegalArgumentException("method name '" + name + "' is not dot-separated "
            + "lower-case words of letters and digits, like alipay.trade.query");
      }
      Objects.requireNonNull(handler, () -> "no handler for " + name);
    });
    return new GatewayMethods(Map.copyOf(methods));
  }

  public Optional<GatewayMethod> find(String name) {
    return Optional.ofNullable(methods.get(name));
  }

  public Set<String> names() {
    return methods.keySet();
  }

  /** Also decides whether a method name can name a response node; see {@link ResponseNodes}. */
  static boolean isWellFormedName(String name) {
    return name != null && name.length() <= NAME_CHARS_MAX && NAME.matcher(name).matches();
  }
}
