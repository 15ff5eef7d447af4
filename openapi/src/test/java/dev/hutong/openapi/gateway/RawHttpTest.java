package dev.hutong.openapi.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipaySignature;
import dev.hutong.openapi.gateway.RawClient.Answer;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests the SDK would never send, over real HTTP. */
class RawHttpTest {
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final Charset GBK = Charset.forName("GBK");

  private static GatewayHttpServer server;
  private static RawClient client;

  @BeforeAll
  static void start() {
    GatewayLimits limits = GatewayLimits.defaults();
    server = GatewayHttpServer.start(TestGateway.create(limits, Clock.systemUTC()), limits);
    client = new RawClient(server.url());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Answer postBody(Map<String, String> params, Charset charset, String contentType) {
    return client.post("", contentType, RawClient.form(params, charset).getBytes(US_ASCII));
  }

  /** The params as a UTF-8 form body with a charset-less Content-Type, the way browsers send it. */
  private static Answer post(Map<String, String> params) {
    return postBody(params, UTF_8, FORM);
  }

  /**
   * A UTF-8, RSA2 request for {@code method} with the protocol parameters changed or added by
   * {@code changes} (name, value, name, value...), correctly signed, so only the change is wrong.
   */
  private static Answer postSigned(String method, String... changes) {
    TreeMap<String, String> params = RawClient.protocolParams(method, "UTF-8", "RSA2");
    for (int i = 0; i < changes.length; i += 2) {
      params.put(changes[i], changes[i + 1]);
    }
    return post(RawClient.signed(params, TestKeys.appPrivate()));
  }

  /** {@link #postSigned} for alipay.trade.query. */
  private static Answer postSignedQuery(String... changes) {
    return postSigned("alipay.trade.query", changes);
  }

  @Test
  void browserGetWithEverythingInTheQuery() {
    TreeMap<String, String> params = RawClient.protocolParams("alipay.trade.query", "UTF-8",
        "RSA2");
    params.put("biz_content", "{\"out_trade_no\":\"o-1\",\"subject\":\"煎饼果子\"}");

    Answer answer = client.get(RawClient.form(RawClient.signed(params, TestKeys.appPrivate()),
        UTF_8));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json;charset=UTF-8");
    assertThat(answer.nodeName()).isEqualTo("alipay_trade_query_response");
    assertThat(answer.code()).isEqualTo("10000");
    assertThat(answer.node().path("subject").asText()).isEqualTo("煎饼果子");
    assertThat(answer.signatureVerifies("RSA2")).isTrue();
  }

  @Test
  void browserPostWithEverythingInTheBodyAndCharsetOnlyThere() {
    TreeMap<String, String> params = RawClient.protocolParams("alipay.trade.query", "GBK", "RSA");
    params.put("biz_content", "{\"out_trade_no\":\"o-2\",\"subject\":\"煎饼果子\"}");

    // Browsers send a form's Content-Type without a charset.
    Answer answer = postBody(RawClient.signed(params, TestKeys.appPrivate()), GBK, FORM);

    assertThat(answer.contentType()).isEqualTo("application/json;charset=GBK");
    assertThat(answer.code()).isEqualTo("10000");
    assertThat(answer.node().path("subject").asText()).isEqualTo("煎饼果子");
    assertThat(answer.signatureVerifies("RSA")).isTrue();
  }

  @Test
  void charsetNamesAreCaseInsensitive() {
    TreeMap<String, String> params = RawClient.protocolParams("alipay.trade.query", "gbk", "RSA2");
    params.put("biz_content", "{\"out_trade_no\":\"o\",\"subject\":\"饺子\"}");

    Answer answer = postBody(RawClient.signed(params, TestKeys.appPrivate()), GBK,
        FORM + "; charset=Gbk");

    assertThat(answer.code()).isEqualTo("10000");
    assertThat(answer.node().path("subject").asText()).isEqualTo("饺子");
  }

  @Test
  void withoutAnyCharsetTheRequestIsUtf8() throws Exception {
    TreeMap<String, String> params = RawClient.protocolParams("alipay.trade.query", "UTF-8",
        "RSA2");
    params.remove("charset");
    params.put("biz_content", "{\"out_trade_no\":\"o\",\"subject\":\"饺子\"}");
    params.put("sign", AlipaySignature.rsaSign(AlipaySignature.getSignContent(params),
        TestKeys.appPrivate(), "UTF-8", "RSA2"));

    Answer answer = post(params);

    assertThat(answer.contentType()).isEqualTo("application/json;charset=UTF-8");
    assertThat(answer.code()).isEqualTo("10000");
    assertThat(answer.node().path("subject").asText()).isEqualTo("饺子");
  }

  @ParameterizedTest(name = "without {0}")
  @CsvSource({
      "app_id, isv.missing-app-id",
      "method, isv.missing-method",
      "sign, isv.missing-signature",
      "sign_type, isv.missing-signature-type",
      "timestamp, isv.missing-timestamp",
      "version, isv.missing-version"})
  void missingProtocolParameters(String parameter, String subCode) {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");
    params.remove(parameter);

    Answer answer = postBody(params, UTF_8, FORM + ";charset=UTF-8");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.code()).isEqualTo("40001");
    assertThat(answer.node().path("msg").asText()).isEqualTo("Missing Required Arguments");
    assertThat(answer.subCode()).isEqualTo(subCode);
    assertThat(answer.subMsg()).contains("no " + parameter + " parameter");
    assertThat(answer.signed()).isFalse();
  }

  @Test
  void blankCountsAsMissing() {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");
    params.put("app_id", "  ");

    assertThat(post(params).subCode()).isEqualTo("isv.missing-app-id");
  }

  @Test
  void missingParametersAreReportedInAlipaysOrder() {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");
    params.remove("version");
    params.remove("sign");
    params.remove("method");

    assertThat(post(params).subCode()).isEqualTo("isv.missing-method");
  }

  @Test
  void missingMethodIsAnsweredInTheErrorResponseNode() {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");
    params.remove("method");

    assertThat(post(params).nodeName()).isEqualTo("error_response");
  }

  @Test
  void malformedMethodNameIsInvalidMethod() {
    Answer answer = postSigned("Alipay.Trade.Query\"}");

    assertThat(answer.nodeName()).isEqualTo("error_response");
    assertThat(answer.subCode()).isEqualTo("isv.invalid-method");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2024/05/01 12:00:00 | is not a date and time written yyyy-MM-dd HH:mm:ss",
      "2024-02-30 12:00:00 | is not a date and time written yyyy-MM-dd HH:mm:ss",
      "2024-05-01T12:00:00 | is not a date and time written yyyy-MM-dd HH:mm:ss",
      "1717200000000 | is not a date and time written yyyy-MM-dd HH:mm:ss"})
  void malformedTimestamp(String timestamp, String expected) {
    Answer answer = postSignedQuery("timestamp", timestamp, "biz_content", "{}");

    assertThat(answer.code()).isEqualTo("40002");
    assertThat(answer.subCode()).isEqualTo("isv.invalid-timestamp");
    assertThat(answer.subMsg()).startsWith("非法的时间戳参数").contains(expected);
  }

  @ParameterizedTest(name = "{0} minutes off")
  @CsvSource({"-20, behind", "20, ahead of"})
  void timestampOutsideTheSkewWindow(int minutes, String direction) {
    String timestamp = RawClient.TIMESTAMP.format(
        LocalDateTime.now(ZoneOffset.ofHours(8)).plusMinutes(minutes));
    Answer answer = postSignedQuery("timestamp", timestamp, "biz_content", "{}");

    assertThat(answer.subCode()).isEqualTo("isv.invalid-timestamp");
    assertThat(answer.subMsg()).contains(direction + " the gateway's clock")
        .contains("within 15 minutes");
  }

  @Test
  void timestampIsGmt8NotUtc() {
    String utc = RawClient.TIMESTAMP.format(LocalDateTime.now(ZoneOffset.UTC));
    Answer answer = postSignedQuery("timestamp", utc, "biz_content", "{}");

    assertThat(answer.subCode()).isEqualTo("isv.invalid-timestamp");
    assertThat(answer.subMsg()).contains("480 min");
  }

  @Test
  void signTypeIsCaseSensitive() {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");
    params.put("sign_type", "rsa2");

    Answer answer = post(params);

    assertThat(answer.subCode()).isEqualTo("isv.invalid-signature-type");
    assertThat(answer.subMsg()).contains("'rsa2' is not RSA2 or RSA");
  }

  @Test
  void signWithUnencodedPlusGetsAHint() {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");
    String form = RawClient.form(params, UTF_8).replace("%2B", "+");

    Answer answer = client.post("", FORM, form.getBytes(US_ASCII));

    assertThat(answer.subCode()).isEqualTo("isv.invalid-signature");
    // Either base64 breaks on the spaces, or by chance it decodes and fails to verify.
    assertThat(answer.subMsg()).satisfiesAnyOf(
        msg -> assertThat(msg).contains("send it as %2B"),
        msg -> assertThat(msg).startsWith(ProtocolErrors.INVALID_SIGNATURE_PREFIX));
  }

  @Test
  void tamperedParameterFailsTheSignature() {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");
    params.put("biz_content", "{\"out_trade_no\":\"other\"}");

    Answer answer = post(params);

    assertThat(answer.subCode()).isEqualTo("isv.invalid-signature");
    assertThat(answer.subMsg()).contains("biz_content={\"out_trade_no\":\"other\"}");
    assertThat(answer.signed()).isFalse();
  }

  @Test
  void unsupportedVersion() {
    Answer answer = postSignedQuery("version", "2.0");

    assertThat(answer.subCode()).isEqualTo("isv.invalid-parameter");
    assertThat(answer.subMsg()).contains("version '2.0' is not served");
  }

  @Test
  void xmlFormatIsInvalidFormatAndSigned() {
    Answer answer = postSignedQuery("format", "xml", "biz_content", "{}");

    assertThat(answer.subCode()).isEqualTo("isv.invalid-format");
    assertThat(answer.signatureVerifies("RSA2")).isTrue();
  }

  @Test
  void contentEncryptionIsRefused() {
    Answer answer = postSignedQuery("encrypt_type", "AES");

    assertThat(answer.subCode()).isEqualTo("isv.decryption-error-not-valid-encrypt-key");
  }

  @Test
  void certificateModeIsRefused() {
    Answer answer = postSignedQuery("app_cert_sn", "abc");

    assertThat(answer.subCode()).isEqualTo("isv.invalid-parameter");
    assertThat(answer.subMsg()).contains("certificate mode");
  }

  @Test
  void duplicateParameterAcrossQueryAndBody() {
    TreeMap<String, String> params = RawClient.signedQuery("o", "UTF-8", "RSA2");

    Answer answer = client.post("app_id=" + TestGateway.APP_ID, FORM,
        RawClient.form(params, UTF_8).getBytes(US_ASCII));

    assertThat(answer.nodeName()).isEqualTo("error_response");
    assertThat(answer.subCode()).isEqualTo("isv.invalid-parameter");
    assertThat(answer.subMsg()).contains("app_id appears in both the query string and the form "
        + "body");
  }

  @Test
  void duplicateParameterInOnePlace() {
    Answer answer = client.get("a=1&b=2&a=3");

    assertThat(answer.subMsg()).contains("parameter a appears twice in the query string");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "biz_content=%G1 | malformed percent-encoding in the form body at offset 12",
      "biz_content=abc% | malformed percent-encoding in the form body at offset 15",
      "biz_content=%4 | malformed percent-encoding in the form body at offset 12",
      "=value | a parameter with an empty name",
      "bad%20name=1 | parameter name 'bad name' in the form body has characters other than",
      "na%C3%AFve=1 | parameter name 'na\\xc3\\xafve'"})
  void malformedForms(String body, String expected) {
    Answer answer = client.post("", FORM + ";charset=UTF-8", body.getBytes(UTF_8));

    assertThat(answer.code()).isEqualTo("40002");
    assertThat(answer.subCode()).isEqualTo("isv.invalid-parameter");
    assertThat(answer.subMsg()).contains(expected);
  }

  @Test
  void percentEncodedBytesThatAreNotValidInTheCharset() {
    // %E4%B8 is a UTF-8 sequence cut short.
    Answer answer = client.post("charset=UTF-8", FORM, "subject=%E4%B8".getBytes(US_ASCII));

    assertThat(answer.subCode()).isEqualTo("isv.invalid-charset");
    assertThat(answer.subMsg()).contains("parameter subject in the form body is not valid UTF-8");
  }

  @Test
  void rawNonAsciiBytesInTheBody() {
    Answer answer = client.post("", FORM, "subject=饺子".getBytes(UTF_8));

    assertThat(answer.subMsg()).contains("non-ASCII byte 0xe9 at offset 8");
  }

  @ParameterizedTest(name = "charset={0}")
  @CsvSource({"ISO-8859-1", "GB2312", "utf8", "UTF-16"})
  void unsupportedCharset(String charset) {
    Answer answer = client.get("charset=" + charset + "&app_id=" + TestGateway.APP_ID);

    assertThat(answer.code()).isEqualTo("40002");
    assertThat(answer.subCode()).isEqualTo("isv.invalid-charset");
    assertThat(answer.subMsg()).contains("'" + charset + "' is not supported; use UTF-8 or GBK");
    assertThat(answer.contentType()).isEqualTo("application/json;charset=UTF-8");
  }

  @Test
  void charsetParameterAndContentTypeMustAgree() {
    Answer answer = client.post("charset=GBK", FORM + ";charset=UTF-8", "a=1".getBytes(US_ASCII));

    assertThat(answer.subCode()).isEqualTo("isv.invalid-charset");
    assertThat(answer.subMsg()).contains("the charset parameter says GBK but the Content-Type "
        + "says charset=UTF-8");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "multipart/form-data; boundary=x | multipart/form-data (file upload methods) is not "
          + "supported by this gateway yet",
      "application/json | Content-Type application/json is not supported",
      "text | the Content-Type 'text' is not a media type"})
  void unsupportedContentTypes(String contentType, String expected) {
    Answer answer = client.post("", contentType, "a=1".getBytes(US_ASCII));

    assertThat(answer.subCode()).isEqualTo("isv.invalid-parameter");
    assertThat(answer.subMsg()).contains(expected);
  }

  @Test
  void bodyWithoutContentType() {
    Answer answer = client.post("", null, "a=1".getBytes(US_ASCII));

    assertThat(answer.subMsg()).contains("the body has no Content-Type");
  }

  @Test
  void getWithABody() {
    Answer answer = client.send("GET", "", FORM, "a=1".getBytes(US_ASCII));

    assertThat(answer.subMsg()).contains("a GET request carries its parameters in the query "
        + "string only");
  }

  @Test
  void otherHttpMethods() {
    Answer answer = client.send("PUT", "a=1", null, new byte[0]);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.subMsg()).contains("HTTP method PUT is not served; use POST (or GET)");
  }

  @Test
  void tooManyParameters() {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      query.append("p").append(i).append("=1&");
    }

    Answer answer = client.get(query.toString());

    assertThat(answer.subMsg()).contains("more than 64 parameters");
  }

  @Test
  void parameterNameTooLong() {
    Answer answer = client.get("n" + "x".repeat(64) + "=1");

    assertThat(answer.subMsg()).contains("is longer than 64 bytes");
  }

  @Test
  void parameterValueTooLong() {
    Answer answer = client.post("", FORM, ("notify_url=" + "u".repeat(16 * 1024 + 1))
        .getBytes(US_ASCII));

    assertThat(answer.subMsg()).contains("parameter notify_url in the form body has 16385 bytes, "
        + "more than the 16384 allowed");
  }

  @Test
  void queryStringTooLong() {
    Answer answer = client.get("a=" + "q".repeat(64 * 1024));

    assertThat(answer.subMsg()).contains("the query string has 65538 chars, more than 65536");
  }

  @Test
  void emptyRequestAsksForAppIdFirst() {
    Answer answer = client.get("");

    assertThat(answer.subCode()).isEqualTo("isv.missing-app-id");
  }
}
