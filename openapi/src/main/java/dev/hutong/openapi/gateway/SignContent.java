package dev.hutong.openapi.gateway;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The strings that get signed, built exactly as the Alipay SDK builds them: parameters sorted by
 * name (String order), those with a blank name or value left out, the rest written name=value
 * with decoded values and joined with '&amp;'. "Blank" is the SDK's StringUtils.isEmpty: null,
 * empty or only whitespace.
 */
public final class SignContent {
  private static final Set<String> REQUEST_EXCLUDED = Set.of(ProtocolParams.SIGN);
  private static final Set<String> NOTIFICATION_EXCLUDED =
      Set.of(ProtocolParams.SIGN, ProtocolParams.SIGN_TYPE);

  private SignContent() {}

  /** A request's: every parameter except sign (sign_type is included). */
  public static String forRequest(Map<String, String> params) {
    return build(params, REQUEST_EXCLUDED);
  }

  /** A notification's: every field except sign and sign_type, as the SDK's rsaCheckV1 checks. */
  public static String forNotification(Map<String, String> fields) {
    return build(fields, NOTIFICATION_EXCLUDED);
  }

  private static String build(Map<String, String> params, Set<String> excluded) {
    StringBuilder content = new StringBuilder();
    for (Map.Entry<String, String> entry : new TreeMap<>(params).entrySet()) {
      String name = entry.getKey();
      String value = entry.getValue();
      if (excluded.contains(name) || isBlank(name) || isBlank(value)) {
        continue;
      }
      if (!content.isEmpty()) {
        content.append('&');
      }
      content.append(name).append('=').append(value);
    }
    return content.toString();
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
