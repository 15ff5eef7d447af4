package dev.hutong.openapi.gateway;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipaySignature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hand-made requests, for what the SDK never sends: missing or malformed parameters, browser
 * style GET and POST. Signing uses the SDK's own functions, so these tests do not check the
 * gateway against itself.
 */
final class RawClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final String url;

  RawClient(String url) {
    this.url = url;
  }

  /** Valid protocol parameters for TestGateway.APP_ID, before signing. */
  static TreeMap<String, String> protocolParams(String method, String charset, String signType) {
    TreeMap<String, String> params = new TreeMap<>();
    params.put("app_id", TestGateway.APP_ID);
    params.put("method", method);
    params.put("charset", charset);
    params.put("sign_type", signType);
    params.put("timestamp", now());
    params.put("version", "1.0");
    params.put("format", "json");
    return params;
  }

  static String now() {
    return TIMESTAMP.format(LocalDateTime.now(ZoneOffset.ofHours(8)));
  }

  /** Adds sign, computed by the SDK over the parameters as they are. */
  static TreeMap<String, String> signed(Map<String, String> params, String privateKey) {
    TreeMap<String, String> signed = new TreeMap<>(params);
    signed.remove("sign");
    try {
      String content = AlipaySignature.getSignContent(signed);
      signed.put("sign", AlipaySignature.rsaSign(content, privateKey, params.get("charset"),
          params.get("sign_type")));
    } catch (AlipayApiException e) {
      throw new IllegalStateException(e);
    }
    return signed;
  }

  static TreeMap<String, String> signedQuery(String outTradeNo, String charset, String signType) {
    TreeMap<String, String> params = protocolParams("alipay.trade.query", charset, signType);
    params.put("biz_content", "{\"out_trade_no\":\"" + outTradeNo + "\"}");
    return signed(params, TestKeys.appPrivate());
  }

  static String form(Map<String, String> params, Charset charset) {
    StringBuilder out = new StringBuilder();
    params.forEach((name, value) -> {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(URLEncoder.encode(name, charset)).append('=')
          .append(URLEncoder.encode(value, charset));
    });
    return out.toString();
  }

  Answer get(String query) {
    return send(HttpRequest.newBuilder(uri(query)).GET());
  }

  Answer post(String query, String contentType, byte[] body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(query))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder);
  }

  Answer send(String method, String query, String contentType, byte[] body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(query))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder);
  }

  private URI uri(String query) {
    return URI.create(query == null || query.isEmpty() ? url : url + "?" + query);
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = HTTP.send(request.build(),
          HttpResponse.BodyHandlers.ofByteArray());
      String contentType = response.headers().firstValue("Content-Type").orElseThrow();
      return new Answer(response.statusCode(), contentType, response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A gateway response, read the way the SDK reads it. */
  record Answer(int status, String contentType, byte[] bytes) {
    String charset() {
      return contentType.substring(contentType.indexOf("charset=") + "charset=".length());
    }

    String body() {
      return new String(bytes, Charset.forName(charset()));
    }

    JsonNode root() {
      try {
        return Json.MAPPER.readTree(body());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(body(), e);
      }
    }

    String nodeName() {
      Iterator<String> names = root().fieldNames();
      return names.next();
    }

    JsonNode node() {
      return root().get(nodeName());
    }

    String code() {
      return node().path("code").asText();
    }

    String subCode() {
      return node().path("sub_code").asText(null);
    }

    String subMsg() {
      return node().path("sub_msg").asText(null);
    }

    boolean signed() {
      return root().has("sign");
    }

    /** Checks the signature with the SDK's verifier, over the node cut out as the SDK cuts it. */
    boolean signatureVerifies(String signType) {
      String body = body();
      String prefix = "{\"" + nodeName() + "\":";
      String content = body.substring(prefix.length(), body.lastIndexOf(",\"sign\":\""));
      try {
        return AlipaySignature.rsaCheck(content, root().get("sign").asText(),
            TestKeys.platformPublic(), charset(), signType);
      } catch (AlipayApiException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
