package com.example.hellomerchant;

import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.request.AlipayTradeCreateRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import com.alipay.api.request.AlipayUserInfoShareRequest;
import com.alipay.api.response.AlipaySystemOauthTokenResponse;
import com.alipay.api.response.AlipayTradeCreateResponse;
import com.alipay.api.response.AlipayTradeQueryResponse;
import com.alipay.api.response.AlipayUserInfoShareResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The "hello" mini-program's merchant back end: what a small shop would run next to its
 * mini-program, written against the official Alipay SDK only (Hutong speaks the same protocol).
 *
 * <pre>
 * POST /login          {"authCode"}     alipay.system.oauth.token + alipay.user.info.share
 *                                       -> {"session", "nickName"}
 * POST /orders         (Bearer session) alipay.trade.create for this user -> {"tradeNo", "outTradeNo"}
 * GET  /orders/{out}   (Bearer session) the trade's status: the notification's when one came,
 *                                       else alipay.trade.query -> {"status", "notified"}
 * POST /notify         the platform's asynchronous notification, checked with rsaCheckV1
 * </pre>
 *
 * The mini-program calls it with fetch from its sandboxed page (Origin "null", no cookies), so
 * answers allow any origin and the session travels in the Authorization header.
 */
public final class HelloMerchant implements AutoCloseable {
  static final String PRICE = "1.00";
  static final int BODY_BYTES_MAX = 16 * 1024;
  static final int SESSIONS_MAX = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DefaultAlipayClient alipay;
  private final String platformPublicKey;
  private final HttpServer http;
  private final SecureRandom random = new SecureRandom();
  /** session token -> the user's open_id in this app. */
  private final Map<String, String> sessions = new ConcurrentHashMap<>();
  /** out_trade_no -> the open_id that created it. */
  private final Map<String, String> orders = new ConcurrentHashMap<>();
  /** out_trade_no -> trade_status from a verified notification. */
  private final Map<String, String> notified = new ConcurrentHashMap<>();

  public HelloMerchant(String gatewayUrl, String appId, String appPrivateKey,
      String platformPublicKey, int port) throws IOException {
    this.alipay = new DefaultAlipayClient(gatewayUrl, appId, appPrivateKey, "json", "UTF-8",
        platformPublicKey, "RSA2");
    this.platformPublicKey = platformPublicKey;
    this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    http.createContext("/", this::handle);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
  }

  /** {@code http://127.0.0.1:<port>}: the origin to list in the app's app.json "domains". */
  public String origin() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** The trade statuses notifications brought, by out_trade_no. */
  public Map<String, String> notifications() {
    return Map.copyOf(notified);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
      ex.getResponseHeaders().add("Access-Control-Allow-Headers", "content-type, authorization");
      ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST");
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      if (method.equals("OPTIONS")) {
        reply(ex, 204, null);
      } else if (method.equals("POST") && path.equals("/login")) {
        login(ex);
      } else if (method.equals("POST") && path.equals("/orders")) {
        createOrder(ex);
      } else if (method.equals("GET") && path.startsWith("/orders/")) {
        orderStatus(ex, path.substring("/orders/".length()));
      } else if (method.equals("POST") && path.equals("/notify")) {
        notification(ex);
      } else {
        reply(ex, 404, Map.of("error", "no such endpoint"));
      }
    } catch (AlipayApiException e) {
      reply(ex, 502, Map.of("error", "the platform refused: " + e.getErrMsg()));
    } catch (RuntimeException e) {
      reply(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  private void login(HttpExchange ex) throws IOException, AlipayApiException {
    String code = readJson(ex).path("authCode").asText("");
    AlipaySystemOauthTokenRequest token = new AlipaySystemOauthTokenRequest();
    token.setGrantType("authorization_code");
    token.setCode(code);
    AlipaySystemOauthTokenResponse granted = alipay.execute(token);
    if (!granted.isSuccess()) {
      reply(ex, 401, Map.of("error", "the auth code was refused: " + granted.getSubMsg()));
      return;
    }
    AlipayUserInfoShareResponse info = alipay.execute(new AlipayUserInfoShareRequest(),
        granted.getAccessToken());
    if (sessions.size() >= SESSIONS_MAX) {
      sessions.clear();
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    sessions.put(session, granted.getOpenId());
    reply(ex, 200, Map.of("session", session, "nickName",
        info.isSuccess() && info.getNickName() != null ? info.getNickName() : ""));
  }

  private void createOrder(HttpExchange ex) throws IOException, AlipayApiException {
    String openId = openId(ex);
    if (openId == null) {
      reply(ex, 401, Map.of("error", "log in first"));
      return;
    }
    String outTradeNo = "hello-" + System.currentTimeMillis() + "-" + random.nextInt(1_000_000);
    AlipayTradeCreateRequest create = new AlipayTradeCreateRequest();
    create.setNotifyUrl(origin() + "/notify");
    create.setBizContent(JSON.writeValueAsString(Map.of("out_trade_no", outTradeNo,
        "total_amount", PRICE, "subject", "A cup of hello tea", "buyer_open_id", openId)));
    AlipayTradeCreateResponse created = alipay.execute(create);
    if (!created.isSuccess()) {
      reply(ex, 502, Map.of("error", "trade.create failed: " + created.getSubMsg()));
      return;
    }
    orders.put(outTradeNo, openId);
    reply(ex, 200, Map.of("tradeNo", created.getTradeNo(), "outTradeNo", outTradeNo,
        "amount", PRICE));
  }

  private void orderStatus(HttpExchange ex, String outTradeNo)
      throws IOException, AlipayApiException {
    String openId = openId(ex);
    if (openId == null || !openId.equals(orders.get(outTradeNo))) {
      reply(ex, 404, Map.of("error", "no such order of yours"));
      return;
    }
    String fromNotification = notified.get(outTradeNo);
    if (fromNotification != null) {
      reply(ex, 200, Map.of("status", fromNotification, "notified", true));
      return;
    }
    // The 9000 the app saw is a hint; the truth is the notification or the query.
    AlipayTradeQueryRequest query = new AlipayTradeQueryRequest();
    query.setBizContent(JSON.writeValueAsString(Map.of("out_trade_no", outTradeNo)));
    AlipayTradeQueryResponse answer = alipay.execute(query);
    reply(ex, 200, Map.of("status", answer.isSuccess() ? answer.getTradeStatus() : "UNKNOWN",
        "notified", false));
  }

  private void notification(HttpExchange ex) throws IOException {
    Map<String, String> params = new HashMap<>();
    for (String pair : new String(readBody(ex), StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    boolean signed;
    try {
      signed = AlipaySignature.rsaCheckV1(new HashMap<>(params), platformPublicKey, "UTF-8",
          "RSA2");
    } catch (AlipayApiException e) {
      signed = false;
    }
    String outTradeNo = params.get("out_trade_no");
    if (!signed || outTradeNo == null || !orders.containsKey(outTradeNo)) {
      // Not "success": a forged or unknown notification is not acknowledged.
      replyText(ex, 400, "fail");
      return;
    }
    notified.put(outTradeNo, params.getOrDefault("trade_status", ""));
    replyText(ex, 200, "success");
  }

  private String openId(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") ? sessions.get(auth.substring(7)) : null;
  }

  private static JsonNode readJson(HttpExchange ex) throws IOException {
    return JSON.readTree(readBody(ex));
  }

  private static byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(BODY_BYTES_MAX + 1);
      if (body.length > BODY_BYTES_MAX) {
        throw new IllegalArgumentException("the body is over " + BODY_BYTES_MAX + " bytes");
      }
      return body;
    }
  }

  private static void reply(HttpExchange ex, int status, Object body) throws IOException {
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void replyText(HttpExchange ex, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    http.stop(0);
  }

  /**
   * {@code HelloMerchant GATEWAY_URL APP_ID APP_PRIVATE_KEY_FILE PLATFORM_PUBLIC_KEY [PORT]}:
   * runs until stopped. The private key file holds base64 PKCS#8 on one line.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: HelloMerchant GATEWAY_URL APP_ID APP_PRIVATE_KEY_FILE"
          + " PLATFORM_PUBLIC_KEY [PORT (default 8090)]");
      System.exit(2);
    }
    String privateKey = java.nio.file.Files.readString(java.nio.file.Path.of(args[2])).trim();
    int port = args.length > 4 ? Integer.parseInt(args[4]) : 8090;
    HelloMerchant merchant = new HelloMerchant(args[0], args[1], privateKey, args[3], port);
    System.out.println("hello-merchant listening on " + merchant.origin());
  }
}
