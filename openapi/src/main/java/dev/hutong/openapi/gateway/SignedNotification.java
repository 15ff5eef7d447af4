package dev.hutong.openapi.gateway;

import java.util.SortedMap;

/**
 * An asynchronous notification ready to POST to the merchant's notify_url.
 *
 * @param fields every field including sign_type and sign, sorted by name
 * @param contentType application/x-www-form-urlencoded with the notification's charset
 * @param body the fields form-encoded in that charset
 */
public record SignedNotification(SortedMap<String, String> fields, String contentType,
    byte[] body) {}
