package dev.hutong.openapi.gateway;

import java.net.URLEncoder;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Signs asynchronous notifications (trade status changes and the like) with the platform key, the
 * way the SDK's {@code AlipaySignature.rsaCheckV1(params, platformPublicKey, charset, signType)}
 * verifies them: over every field except sign and sign_type, sorted, blank values left out, as
 * bytes in the notification's charset. The charset and sign_type fields of the notification itself
 * say which charset and algorithm; they are the app's request charset and sign type.
 */
public final class NotificationSigner {
  /** A notification is the platform's own output; these bounds catch a caller's mistake. */
  static final int FIELDS_MAX = 128;
  static final int VALUE_CHARS_MAX = 64 * 1024;

  private final PlatformKeys platformKeys;

  public NotificationSigner(PlatformKeys platformKeys) {
    this.platformKeys = Objects.requireNonNull(platformKeys, "platformKeys");
  }

  /**
   * @param fields notify_id, notify_time, notify_type, app_id, charset, version, sign_type and the
   *     notification's own fields; a sign field, if present, is replaced
   * @throws IllegalArgumentException when charset or sign_type is missing or unsupported, or a
   *     field breaks a bound
   */
  public SignedNotification sign(Map<String, String> fields) {
    SortedMap<String, String> signed = checkedCopy(fields);
    ProtocolCharset charset = charsetOf(signed);
    SignType signType = signTypeOf(signed);
    signed.remove(ProtocolParams.SIGN);
    byte[] content = SignContent.forNotification(signed).getBytes(charset.charset());
    signed.put(ProtocolParams.SIGN, platformKeys.sign(signType, content));
    return new SignedNotification(Collections.unmodifiableSortedMap(signed),
        "application/x-www-form-urlencoded;charset=" + charset.protocolName(),
        formBody(signed, charset));
  }

  private static SortedMap<String, String> checkedCopy(Map<String, String> fields) {
    Objects.requireNonNull(fields, "fields");
    if (fields.size() > FIELDS_MAX) {
      throw new IllegalArgumentException("a notification has at most " + FIELDS_MAX
          + " fields, not " + fields.size());
    }
    SortedMap<String, String> copy = new TreeMap<>();
    fields.forEach((name, value) -> {
      if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException("notification field name '" + name + "' is not 1 to "
            + "64 letters, digits, '_', '.' or '-'");
      }
      if (value != null && value.length() > VALUE_CHARS_MAX) {
        throw new IllegalArgumentException("notification field " + name + " has more than "
            + VALUE_CHARS_MAX + " chars");
      }
      if (value != null) {
        copy.put(name, value);
      }
    });
    return copy;
  }

  private static ProtocolCharset charsetOf(Map<String, String> fields) {
    String name = fields.get(ProtocolParams.CHARSET);
    return ProtocolCharset.fromName(name).orElseThrow(() -> new IllegalArgumentException(
        "the notification's charset field is '" + name + "'; it must be UTF-8 or GBK, the "
            + "charset of the app's requests"));
  }

  private static SignType signTypeOf(Map<String, String> fields) {
    String name = fields.get(ProtocolParams.SIGN_TYPE);
    return SignType.fromParameter(name).orElseThrow(() -> new IllegalArgumentException(
        "the notification's sign_type field is '" + name + "'; it must be RSA2 or RSA, the sign "
            + "type the app uses"));
  }

  /** URLEncoder is what the SDK (and most merchant frameworks) pair with their decoders. */
  private static byte[] formBody(Map<String, String> fields, ProtocolCharset charset) {
    StringBuilder body = new StringBuilder();
    fields.forEach((name, value) -> {
      if (!body.isEmpty()) {
        body.append('&');
      }
      body.append(name).append('=').append(URLEncoder.encode(value, charset.charset()));
    });
    return body.toString().getBytes(charset.charset());
  }
}
