package dev.hutong.openapi.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipaySignature;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Notifications as a merchant receives them, checked with the SDK's rsaCheckV1. */
class NotificationSignerTest {
  private final NotificationSigner signer = new NotificationSigner(TestKeys.PLATFORM_KEYS);

  private static Map<String, String> tradeNotification(String charset, String signType) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("notify_id", "2024050100222120000012345678");
    fields.put("notify_time", "2024-05-01 12:00:05");
    fields.put("notify_type", "trade_status_sync");
    fields.put("app_id", TestGateway.APP_ID);
    fields.put("charset", charset);
    fields.put("version", "1.0");
    fields.put("sign_type", signType);
    fields.put("trade_no", TestGateway.TRADE_NO);
    fields.put("out_trade_no", "order-1");
    fields.put("trade_status", "TRADE_SUCCESS");
    fields.put("total_amount", "88.88");
    fields.put("subject", "北京烤鸭 & 饺子 = 100% 好吃+");
    fields.put("gmt_payment", "2024-05-01 12:00:00");
    fields.put("body", "");
    return fields;
  }

  /** What a merchant's web framework does with the POST body. */
  private static Map<String, String> decodeForm(SignedNotification notification) {
    Charset charset = Charset.forName(notification.contentType()
        .substring(notification.contentType().indexOf("charset=") + "charset=".length()));
    Map<String, String> params = new HashMap<>();
    for (String pair : new String(notification.body(), StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      params.put(URLDecoder.decode(pair.substring(0, eq), charset),
          URLDecoder.decode(pair.substring(eq + 1), charset));
    }
    return params;
  }

  private static boolean sdkAccepts(Map<String, String> params, String charset, String signType)
      throws AlipayApiException {
    // rsaCheckV1 removes sign and sign_type from the map it is given; hand it a copy.
    return AlipaySignature.rsaCheckV1(new HashMap<>(params), TestKeys.platformPublic(), charset,
        signType);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"UTF-8, RSA2", "UTF-8, RSA", "GBK, RSA2", "GBK, RSA"})
  void theSdkAcceptsSignedNotifications(String charset, String signType)
      throws AlipayApiException {
    SignedNotification notification = signer.sign(tradeNotification(charset, signType));

    Map<String, String> received = decodeForm(notification);
    assertThat(notification.contentType())
        .isEqualTo("application/x-www-form-urlencoded;charset=" + charset);
    assertThat(received).containsEntry("subject", "北京烤鸭 & 饺子 = 100% 好吃+")
        .containsEntry("sign_type", signType).containsKey("sign");
    assertThat(sdkAccepts(received, charset, signType)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"UTF-8, RSA2", "GBK, RSA"})
  void theSdkRejectsATamperedField(String charset, String signType) throws AlipayApiException {
    Map<String, String> received = decodeForm(signer.sign(tradeNotification(charset, signType)));
    received.put("total_amount", "8888.88");

    assertThat(sdkAccepts(received, charset, signType)).isFalse();
  }

  @Test
  void signTypeIsNotSignedSoTheSdkIgnoresItsValue() throws AlipayApiException {
    Map<String, String> received = decodeForm(signer.sign(tradeNotification("UTF-8", "RSA2")));
    received.put("sign_type", "RSA");

    assertThat(sdkAccepts(received, "UTF-8", "RSA2")).isTrue();
  }

  @Test
  void aSignFieldGivenIsReplaced() throws AlipayApiException {
    Map<String, String> fields = tradeNotification("UTF-8", "RSA2");
    fields.put("sign", "forged");

    SignedNotification notification = signer.sign(fields);

    assertThat(notification.fields().get("sign")).isNotEqualTo("forged");
    assertThat(sdkAccepts(decodeForm(notification), "UTF-8", "RSA2")).isTrue();
  }

  @Test
  void charsetAndSignTypeMustBeNamed() {
    Map<String, String> noCharset = tradeNotification("UTF-8", "RSA2");
    noCharset.remove("charset");
    Map<String, String> badSignType = tradeNotification("UTF-8", "SM2");

    assertThatThrownBy(() -> signer.sign(noCharset))
        .hasMessageContaining("charset field is 'null'; it must be UTF-8 or GBK");
    assertThatThrownBy(() -> signer.sign(badSignType))
        .hasMessageContaining("sign_type field is 'SM2'; it must be RSA2 or RSA");
  }
}
