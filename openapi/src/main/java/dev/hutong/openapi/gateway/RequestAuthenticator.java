package dev.hutong.openapi.gateway;

import static dev.hutong.openapi.gateway.ProtocolParams.ALIPAY_ROOT_CERT_SN;
import static dev.hutong.openapi.gateway.ProtocolParams.APP_CERT_SN;
import static dev.hutong.openapi.gateway.ProtocolParams.APP_ID;
import static dev.hutong.openapi.gateway.ProtocolParams.ENCRYPT_TYPE;
import static dev.hutong.openapi.gateway.ProtocolParams.METHOD;
import static dev.hutong.openapi.gateway.ProtocolParams.SIGN;
import static dev.hutong.openapi.gateway.ProtocolParams.SIGN_TYPE;
import static dev.hutong.openapi.gateway.ProtocolParams.TIMESTAMP;
import static dev.hutong.openapi.gateway.ProtocolParams.VERSION;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Base64;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The protocol checks that come before a request is trusted, in Alipay's order: every required
 * parameter present, then the app, method, version, sign type, signing mode and timestamp valid,
 * then the signature. A request that passes all of them is authenticated.
 */
final class RequestAuthenticator {
  /** The only protocol version of the v2 gateway; the SDK sends it for every request class. */
  static final String VERSION_1_0 = "1.0";
  /** Alipay's timestamp format; GMT+8 has no daylight saving, so a fixed offset is exact. */
  static final DateTimeFormatter TIMESTAMP_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
  static final ZoneOffset GMT_8 = ZoneOffset.ofHours(8);

  record Authenticated(RegisteredApp app, String method, GatewayMethod handler,
      SignType signType) {}

  private final AppDirectory apps;
  private final GatewayMethods methods;
  private final GatewayLimits limits;
  private final Clock clock;

  RequestAuthenticator(AppDirectory apps, GatewayMethods methods, GatewayLimits limits,
      Clock clock) {
    this.apps = apps;
    this.methods = methods;
    this.limits = limits;
    this.clock = clock;
  }

  Authenticated authenticate(ParsedRequest request) throws Rejected {
    requirePresent(request);
    RegisteredApp app = activeApp(request.param(APP_ID));
    String method = request.param(METHOD);
    GatewayMethod handler = servedMethod(method);
    requireVersion(request.param(VERSION));
    SignType signType = allowedSignType(request.param(SIGN_TYPE), app);
    requirePublicKeyMode(request);
    requireFreshTimestamp(request.param(TIMESTAMP));
    verifySignature(request, app, signType);
    return new Authenticated(app, method, handler, signType);
  }

  private static void requirePresent(ParsedRequest request) throws Rejected {
    require(request, APP_ID, ProtocolErrors.MISSING_APP_ID);
    require(request, METHOD, ProtocolErrors.MISSING_METHOD);
    require(request, SIGN, ProtocolErrors.MISSING_SIGNATURE);
    require(request, SIGN_TYPE, ProtocolErrors.MISSING_SIGNATURE_TYPE);
    require(request, TIMESTAMP, ProtocolErrors.MISSING_TIMESTAMP);
    require(request, VERSION, ProtocolErrors.MISSING_VERSION);
  }

  private static void require(ParsedRequest request, String name, String subCode)
      throws Rejected {
    if (request.param(name) == null) {
      throw new Rejected(ProtocolErrors.missing(subCode, name));
    }
  }

  private RegisteredApp activeApp(String appId) throws Rejected {
    String fix = "; check app_id and that the SDK's server URL points at this gateway";
    if (!AppIds.isWellFormed(appId)) {
      throw new Rejected(ProtocolErrors.invalidAppId("app_id '" + Texts.quote(appId)
          + "' is not 1 to " + AppIds.CHARS_MAX + " letters, digits, '_' or '-'" + fix));
    }
    RegisteredApp app = apps.find(appId).orElseThrow(() -> new Rejected(
        ProtocolErrors.invalidAppId("no app " + appId + " is registered on this gateway" + fix)));
    if (app.status() != AppStatus.ACTIVE) {
      throw new Rejected(ProtocolErrors.invalidAppId("app " + appId + " is "
          + app.status().name().toLowerCase(Locale.ROOT) + "; the platform operator "
          + "can reinstate it"));
    }
    return app;
  }

  private GatewayMethod servedMethod(String method) throws Rejected {
    if (!GatewayMethods.isWellFormedName(method)) {
      throw new Rejected(ProtocolErrors.invalidMethod("method '" + Texts.quote(method)
          + "' is not a method name such as alipay.trade.query"));
    }
    return methods.find(method).orElseThrow(() -> new Rejected(ProtocolErrors.invalidMethod(
        "this gateway does not serve " + method + "; the methods it serves are listed in "
            + "docs/openapi.md")));
  }

  private static void requireVersion(String version) throws Rejected {
    if (!VERSION_1_0.equals(version)) {
      throw new Rejected(ProtocolErrors.invalidParameter("version '" + Texts.quote(version)
          + "' is not served; send version=1.0"));
    }
  }

  private static SignType allowedSignType(String value, RegisteredApp app) throws Rejected {
    String allowed = app.signTypes().stream().map(Enum::name).sorted()
        .collect(Collectors.joining(" or "));
    SignType type = SignType.fromParameter(value).orElseThrow(() -> new Rejected(
        ProtocolErrors.invalidSignatureType("sign_type '" + Texts.quote(value) + "' is not RSA2 "
            + "or RSA (upper case); app " + app.appId() + " may use " + allowed)));
    if (!app.signTypes().contains(type)) {
      throw new Rejected(ProtocolErrors.invalidSignatureType("app " + app.appId() + " may not "
          + "sign with " + type + "; it may use " + allowed));
    }
    return type;
  }

  /**
   * Certificate mode and content encryption change what the SDK expects back (an alipay_cert_sn,
   * an encrypted node), which this gateway does not produce; refusing them early gives a clear
   * error instead of a confusing one from the SDK later.
   */
  private static void requirePublicKeyMode(ParsedRequest request) throws Rejected {
    if (request.param(APP_CERT_SN) != null || request.param(ALIPAY_ROOT_CERT_SN) != null) {
      throw new Rejected(ProtocolErrors.invalidParameter("app_cert_sn/alipay_root_cert_sn ask "
          + "for certificate mode, which this gateway does not offer; build the client with "
          + "public keys: new DefaultAlipayClient(serverUrl, appId, appPrivateKey, \"json\", "
          + "charset, platformPublicKey, signType) and call execute, not certificateExecute"));
    }
    String encryptType = request.param(ENCRYPT_TYPE);
    if (encryptType != null) {
      throw new Rejected(ProtocolErrors.encryptionUnsupported(Texts.quote(encryptType)));
    }
  }

  private void requireFreshTimestamp(String timestamp) throws Rejected {
    LocalDateTime local;
    try {
      local = LocalDateTime.parse(timestamp, TIMESTAMP_FORMAT);
    } catch (DateTimeParseException e) {
      throw new Rejected(ProtocolErrors.invalidTimestamp("timestamp '" + Texts.quote(timestamp)
          + "' is not a date and time written yyyy-MM-dd HH:mm:ss (GMT+8)"));
    }
    LocalDateTime now = LocalDateTime.now(clock.withZone(GMT_8)).withNano(0);
    Duration skew = Duration.between(now, local);
    if (skew.abs().compareTo(limits.timestampSkewMax()) > 0) {
      throw new Rejected(ProtocolErrors.invalidTimestamp("timestamp " + timestamp + " is "
          + describe(skew) + " the gateway's clock (" + TIMESTAMP_FORMAT.format(now)
          + " GMT+8); it must be within " + limits.timestampSkewMax().toMinutes()
          + " minutes; set the client's clock by NTP and send GMT+8 time"));
    }
  }

  private static String describe(Duration skew) {
    Duration abs = skew.abs();
    String amount = abs.toMinutes() + " min " + abs.toSecondsPart() + " s";
    return amount + (skew.isNegative() ? " behind" : " ahead of");
  }

  private static void verifySignature(ParsedRequest request, RegisteredApp app,
      SignType signType) throws Rejected {
    String sign = request.param(SIGN);
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(sign);
    } catch (IllegalArgumentException e) {
      String hint = sign.indexOf(' ') >= 0
          ? " (it has spaces: a '+' sent without percent-encoding arrives as a space; "
              + "send it as %2B)" : "";
      throw new Rejected(ProtocolErrors.invalidSignature("sign is not valid base64" + hint));
    }
    String content = SignContent.forRequest(request.params());
    byte[] bytes = content.getBytes(request.charset().charset());
    if (!Signatures.verify(app.publicKey(), signType, bytes, signature)) {
      throw new Rejected(ProtocolErrors.signatureMismatch(content));
    }
  }
}
