package dev.hutong.openapi.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request that passed every protocol check, as a {@link GatewayMethod} receives it.
 *
 * @param app the app whose key verified the signature
 * @param method the method name, such as alipay.trade.query
 * @param params every parameter from query string and body, decoded, sorted by name; includes
 *     protocol parameters (app_id, sign, ...) and biz_content as text
 * @param bizContent biz_content parsed; an empty object when the request had none
 * @param charset the request charset, also the response's
 * @param signType the verified request's sign type, also the one the response is signed with
 * @param files the file parts of a multipart request (unsigned: check what they contain)
 */
public record GatewayCall(
    RegisteredApp app,
    String method,
    Map<String, String> params,
    ObjectNode bizContent,
    ProtocolCharset charset,
    SignType signType,
    List<UploadedFile> files) {

  /** A call without files. */
  public GatewayCall(RegisteredApp app, String method, Map<String, String> params,
      ObjectNode bizContent, ProtocolCharset charset, SignType signType) {
    this(app, method, params, bizContent, charset, signType, List.of());
  }

  public GatewayCall {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(bizContent, "bizContent");
    Objects.requireNonNull(charset, "charset");
    Objects.requireNonNull(signType, "signType");
    files = files == null ? List.of() : List.copyOf(files);
    params = Collections.unmodifiableSortedMap(
        new TreeMap<>(Objects.requireNonNull(params, "params")));
  }

  /** A parameter's value, empty when absent or blank (the protocol treats blank as absent). */
  public Optional<String> param(String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** The file part of that name, if the request had one. */
  public Optional<UploadedFile> file(String name) {
    return files.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** Where this call's asynchronous notifications go: the request's notify_url, else the app's. */
  public Optional<String> notifyUrl() {
    return param(ProtocolParams.NOTIFY_URL).or(app::notifyUrl);
  }
}
