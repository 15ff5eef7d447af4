package dev.hutong.openapi;

/**
 * A signed notification ready to POST to the merchant's notify URL.
 *
 * @param contentType {@code application/x-www-form-urlencoded;charset=<UTF-8|GBK>}, the app's
 *     charset
 * @param body the fields (with charset, sign_type and sign) form-encoded in that charset
 */
public record SignedForm(String contentType, byte[] body) {}
