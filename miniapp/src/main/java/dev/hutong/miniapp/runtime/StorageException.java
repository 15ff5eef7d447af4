package dev.hutong.miniapp.runtime;

/**
 * A refused storage call, with the numeric error code Alipay's {@code my.setStorage} family
 * reports to the app ({@code fail({error, errorMessage})}).
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** A parameter is missing or malformed (Alipay: 参数无效). */
  public static final int INVALID_PARAMETER = 2;
  /** The app's storage for this user would pass 10 MB (Alipay: 存储达到上限). */
  public static final int QUOTA_EXCEEDED = 12;
  /** One value is over 200 KB (Alipay: 单条数据超过大小限制). */
  public static final int VALUE_TOO_LARGE = 14;

  private final int code;

  public StorageException(int code, String message) {
    super(message);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
