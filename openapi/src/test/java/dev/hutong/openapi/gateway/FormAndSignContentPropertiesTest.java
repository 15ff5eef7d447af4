package dev.hutong.openapi.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipaySignature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class FormAndSignContentPropertiesTest {
  private static final String FORM = "application/x-www-form-urlencoded";

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().withChars("abcxyz_.-0129ABZ").ofMinLength(1).ofMaxLength(24)
        .filter(name -> !name.equals("charset"));
  }

  /** Text every protocol charset carries: ASCII (form syntax included) and common Chinese. */
  @Provide
  Arbitrary<String> gbkValues() {
    return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u4e00', '\u9fa5')
        .withChars('\t', '\n', '€', '·').ofMaxLength(40);
  }

  /** Any well-formed Unicode, supplementary characters included. */
  @Provide
  Arbitrary<String> utf8Values() {
    return Arbitraries.strings().all().ofMaxLength(40)
        .filter(s -> s.codePoints().noneMatch(c -> c >= 0xd800 && c <= 0xdfff));
  }

  @Provide
  Arbitrary<Map<String, String>> gbkParams() {
    return Arbitraries.maps(names(), gbkValues()).ofMaxSize(40);
  }

  @Provide
  Arbitrary<Map<String, String>> utf8Params() {
    return Arbitraries.maps(names(), utf8Values()).ofMaxSize(40);
  }

  @Property
  void anyGbkTextRoundTripsThroughFormEncodingInBothCharsets(
      @ForAll("gbkParams") Map<String, String> params,
      @ForAll ProtocolCharset charset, @ForAll boolean splitIntoQuery) {
    assertThat(parse(params, charset, splitIntoQuery)).isEqualTo(withCharset(params, charset));
  }

  @Property
  void anyUnicodeRoundTripsThroughUtf8FormEncoding(
      @ForAll("utf8Params") Map<String, String> params, @ForAll boolean splitIntoQuery) {
    ProtocolCharset utf8 = ProtocolCharset.UTF_8;
    assertThat(parse(params, utf8, splitIntoQuery)).isEqualTo(withCharset(params, utf8));
  }

  /** Encodes as the SDK does (URLEncoder), half in the query string if asked, and parses. */
  private static Map<String, String> parse(Map<String, String> params, ProtocolCharset charset,
      boolean splitIntoQuery) {
    Map<String, String> query = new TreeMap<>(Map.of("charset", charset.protocolName()));
    Map<String, String> body = new TreeMap<>();
    int i = 0;
    for (Map.Entry<String, String> param : params.entrySet()) {
      (splitIntoQuery && i++ % 2 == 0 ? query : body).put(param.getKey(), param.getValue());
    }
    RawRequest request = new RawRequest("POST", RawClient.form(query, charset.charset()),
        FORM + ";charset=" + charset.protocolName(),
        RawClient.form(body, charset.charset()).getBytes(US_ASCII));
    RequestParser.Outcome outcome = new RequestParser(GatewayLimits.defaults()).parse(request);
    assertThat(outcome).isInstanceOf(RequestParser.Parsed.class);
    ParsedRequest parsed = ((RequestParser.Parsed) outcome).request();
    assertThat(parsed.charset()).isEqualTo(charset);
    return parsed.params();
  }

  private static Map<String, String> withCharset(Map<String, String> params,
      ProtocolCharset charset) {
    Map<String, String> expected = new TreeMap<>(params);
    expected.put("charset", charset.protocolName());
    return expected;
  }

  @Provide
  Arbitrary<Map<String, String>> signable() {
    Arbitrary<String> names = Arbitraries.oneOf(names(),
        Arbitraries.of("sign", "sign_type", "app_id", "biz_content", " ", ""));
    Arbitrary<String> values = Arbitraries.oneOf(gbkValues(),
        Arbitraries.of("", " ", "\t\n", " x "));
    return Arbitraries.maps(names, values).ofMaxSize(20);
  }

  @Property
  void requestSignContentIsTheSdks(@ForAll("signable") Map<String, String> params) {
    Map<String, String> withoutSign = new HashMap<>(params);
    withoutSign.remove("sign");

    assertThat(SignContent.forRequest(params))
        .isEqualTo(AlipaySignature.getSignContent(withoutSign));
  }

  @Property
  void notificationSignContentIsTheSdks(@ForAll("signable") Map<String, String> params) {
    // getSignCheckContentV1 removes sign and sign_type from the map it is given.
    assertThat(SignContent.forNotification(params))
        .isEqualTo(AlipaySignature.getSignCheckContentV1(new HashMap<>(params)));
  }

  @Provide
  Arbitrary<Map<String, String>> plainSignable() {
    Arbitrary<String> names = Arbitraries.oneOf(names(), Arbitraries.of("sign", "sign_type"));
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').withCharRange('\u4e00', '\u4e10')
            .ofMaxLength(8),
        Arbitraries.of("", " ", "\t"));
    return Arbitraries.maps(names, values).ofMaxSize(20);
  }

  @Property
  void requestSignContentLeavesOutSignAndBlanksAndIsSorted(
      @ForAll("plainSignable") Map<String, String> params) {
    String content = SignContent.forRequest(params);

    List<String> names = new ArrayList<>();
    for (String pair : content.isEmpty() ? new String[0] : content.split("&")) {
      int eq = pair.indexOf('=');
      names.add(pair.substring(0, eq));
      assertThat(pair.substring(eq + 1)).isNotBlank().isEqualTo(params.get(pair.substring(0, eq)));
    }
    assertThat(names).doesNotContain("sign").isSorted().doesNotHaveDuplicates();
    long signable = params.entrySet().stream()
        .filter(e -> !e.getKey().equals("sign") && !e.getValue().isBlank()).count();
    assertThat(names).hasSize((int) signable);
    assertThat(names.contains("sign_type")).isEqualTo(
        !params.getOrDefault("sign_type", "").isBlank());
  }
}
