package dev.hutong.openapi;

import java.util.Objects;

/**
 * An open-platform operation refused (registering an app, issuing an OAuth code): {@link
 * #subCode()} names the reason for scripts (the admin CLI prints it as {@code sub_code}), the
 * message says what was wrong and what to do. Gateway calls never throw it: they answer Alipay's
 * error codes instead.
 */
public final class OpenApiException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The key text is not an RSA public key of an accepted size, in base64 X.509 (or PEM). */
  public static final String INVALID_PUBLIC_KEY = "INVALID_PUBLIC_KEY";
  /** The app tried to register the platform's own public key. */
  public static final String PLATFORM_KEY_REUSED = "PLATFORM_KEY_REUSED";
  /** The notify URL is not an absolute http(s) URL of at most 512 characters. */
  public static final String INVALID_NOTIFY_URL = "INVALID_NOTIFY_URL";
  /** Public mode: the notify URL's host is (or resolves to) a loopback, private or local address. */
  public static final String NOTIFY_URL_NOT_PUBLIC = "NOTIFY_URL_NOT_PUBLIC";
  public static final String INVALID_APP_NAME = "INVALID_APP_NAME";
  public static final String MERCHANT_NOT_FOUND = "MERCHANT_NOT_FOUND";
  public static final String MERCHANT_FROZEN = "MERCHANT_FROZEN";
  public static final String APP_NOT_FOUND = "APP_NOT_FOUND";
  public static final String APP_SUSPENDED = "APP_SUSPENDED";
  public static final String USER_NOT_FOUND = "USER_NOT_FOUND";
  public static final String USER_FROZEN = "USER_FROZEN";
  /** OAuth scopes must be a non-empty set of auth_base and auth_user. */
  public static final String INVALID_SCOPE = "INVALID_SCOPE";

  private final String subCode;

  public OpenApiException(String subCode, String message) {
    super(message);
    this.subCode = Objects.requireNonNull(subCode, "subCode");
  }

  public OpenApiException(String subCode, String message, Throwable cause) {
    super(message, cause);
    this.subCode = Objects.requireNonNull(subCode, "subCode");
  }

  public String subCode() {
    return subCode;
  }
}
