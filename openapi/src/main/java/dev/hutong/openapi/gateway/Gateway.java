package dev.hutong.openapi.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hutong.openapi.gateway.RequestAuthenticator.Authenticated;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open API gateway (gateway.do) speaking Alipay's v2 protocol: parses a request, checks it in
 * Alipay's order, calls the method's handler and writes the signed response. It knows nothing of
 * HTTP servers; an adapter turns exchanges into {@link RawRequest}s and writes back the {@link
 * GatewayResponse}. Every outcome is a 200 response with a JSON body; no exception leaves {@link
 * #handle}.
 */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final RequestParser parser;
  private final RequestAuthenticator authenticator;
  private final ResponseWriter writer;

  public Gateway(AppDirectory apps, GatewayMethods methods, PlatformKeys platformKeys,
      GatewayLimits limits, Clock clock) {
    Objects.requireNonNull(apps, "apps");
    Objects.requireNonNull(methods, "methods");
    Objects.requireNonNull(platformKeys, "platformKeys");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    this.parser = new RequestParser(limits);
    this.authenticator = new RequestAuthenticator(apps, methods, limits, clock);
    this.writer = new ResponseWriter(platformKeys);
  }

  public GatewayResponse handle(RawRequest request) {
    try {
      return switch (parser.parse(request)) {
        case RequestParser.Failed failed -> unsigned(ResponseNodes.ERROR_NODE, failed.error(),
            failed.charset());
        case RequestParser.Parsed parsed -> handleParsed(parsed.request());
      };
    } catch (RuntimeException | AssertionError e) {
      return gatewayFailure(e);
    }
  }

  /**
   * The answer to a request the HTTP adapter could not turn into a {@link RawRequest} (a
   * malformed multipart body): 40002 isv.invalid-parameter with {@code detail}, unsigned, as for
   * any request refused before its app is known.
   */
  public GatewayResponse refuse(String detail) {
    return unsigned(ResponseNodes.ERROR_NODE, ProtocolErrors.invalidParameter(detail),
        ProtocolCharset.UTF_8);
  }

  private GatewayResponse handleParsed(ParsedRequest request) {
    String nodeName = ResponseNodes.forMethod(request.param(ProtocolParams.METHOD));
    Authenticated call;
    try {
      call = authenticator.authenticate(request);
    } catch (Rejected e) {
      return unsigned(nodeName, e.error(), request.charset());
    }
    ObjectNode node = resultNode(request, call);
    return writer.signed(nodeName, node, request.charset(), call.signType());
  }

  /** Everything from here on is answered signed: the app is known and proved who it is. */
  private ObjectNode resultNode(ParsedRequest request, Authenticated call) {
    ObjectNode bizContent;
    try {
      requireJsonFormat(request.param(ProtocolParams.FORMAT));
      bizContent = bizContent(request.param(ProtocolParams.BIZ_CONTENT), call);
    } catch (Rejected e) {
      return ResponseWriter.errorNode(e.error());
    }
    GatewayCall gatewayCall = new GatewayCall(call.app(), call.method(), request.params(),
        bizContent, request.charset(), call.signType(), request.files());
    return invoke(gatewayCall, call.handler());
  }

  private static void requireJsonFormat(String format) throws Rejected {
    if (format != null && !format.equalsIgnoreCase("json")) {
      throw new Rejected(ProtocolErrors.invalidFormat("format '" + Texts.quote(format) + "' is "
          + "not served; this gateway answers JSON only: build the client with format \"json\""));
    }
  }

  private static ObjectNode bizContent(String text, Authenticated call) throws Rejected {
    if (text == null) {
      if (call.handler().requiresBizContent()) {
        throw new Rejected(ProtocolErrors.invalidParameter("biz_content is missing: "
            + call.method() + " takes its arguments as a JSON object in biz_content (with the SDK, "
            + "setBizContent or setBizModel)"));
      }
      return Json.MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // Constraint violations (nesting too deep) carry no location.
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr();
      throw new Rejected(ProtocolErrors.invalidParameter("biz_content is not valid JSON" + where
          + ": " + e.getOriginalMessage()));
    }
    if (!(node instanceof ObjectNode object)) {
      throw new Rejected(ProtocolErrors.invalidParameter("biz_content must be a JSON object "
          + "({...}), not " + node.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    return object;
  }

  private static ObjectNode invoke(GatewayCall call, GatewayMethod handler) {
    GatewayResult result;
    try {
      result = handler.handle(call);
      String fault = SuccessFields.fault(result);
      if (fault != null) {
        throw new IllegalStateException(fault);
      }
    } catch (RuntimeException | AssertionError e) {
      String incident = incident();
      log.error("method {} for app {} failed, incident {}", call.method(), call.app().appId(),
          incident, e);
      return ResponseWriter.errorNode(ProtocolErrors.handlerFailed(incident));
    }
    return switch (result) {
      case GatewayResult.Success success -> ResponseWriter.successNode(success.fields());
      case GatewayError error -> ResponseWriter.errorNode(error);
    };
  }

  private GatewayResponse unsigned(String nodeName, GatewayError error, ProtocolCharset charset) {
    // Not the sub_msg: for isv.invalid-signature it echoes the request, tokens included.
    log.debug("refused: {}", error.subCode());
    return writer.unsigned(nodeName, ResponseWriter.errorNode(error), charset);
  }

  /**
   * A fault in the gateway itself (or in the app directory it calls). Written by hand, without
   * the JSON library, so that answering cannot fail in turn.
   */
  private static GatewayResponse gatewayFailure(Throwable e) {
    String incident = incident();
    log.error("gateway failed, incident {}", incident, e);
    GatewayError error = ProtocolErrors.gatewayFailed(incident);
    String body = "{\"" + ResponseNodes.ERROR_NODE + "\":{\"code\":\"" + error.code()
        + "\",\"msg\":\"" + error.msg() + "\",\"sub_code\":\"" + error.subCode()
        + "\",\"sub_msg\":\"" + jsonText(error.subMsg()) + "\"}}";
    return new GatewayResponse(GatewayResponse.OK,
        ResponseWriter.contentType(ProtocolCharset.UTF_8), body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Text raw, as everywhere in responses (the SDK misreads \\u escapes with hex letters): only
   * quote and backslash get their two-char escapes; control chars, never in this text, would be
   * dropped.
   */
  private static String jsonText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A reference the developer can quote and the operator can find in the log. */
  private static String incident() {
    return UUID.randomUUID().toString();
  }
}
