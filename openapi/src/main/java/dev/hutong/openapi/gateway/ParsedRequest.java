package dev.hutong.openapi.gateway;

import java.util.List;

import java.util.SortedMap;

/**
 * The request's parameters, decoded with its charset and sorted by name: the order in which they
 * are signed.
 */
record ParsedRequest(SortedMap<String, String> params, ProtocolCharset charset,
    List<UploadedFile> files) {
  /**
   * The value, or null when absent or blank: the SDK never sends blank values, so blank is
   * absent.
   */
  String param(String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
