package dev.hutong.openapi;

/**
 * What registering an app gives the merchant: its app_id and the key that verifies the platform's
 * responses and notifications (the SDK's {@code alipayPublicKey}).
 *
 * @param platformPublicKey base64 of the platform's X.509 public key, one line
 */
public record AppRegistration(String appId, String platformPublicKey) {}
