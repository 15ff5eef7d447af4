package dev.hutong.pay;

/** A refused trade operation; {@link #error()} carries Alipay's sub_code and sub_msg. */
public final class TradeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final TradeError error;

  public TradeException(TradeError error) {
    this(error, error.hint());
  }

  public TradeException(TradeError error, String detail) {
    super(detail);
    this.error = error;
  }

  public TradeException(TradeError error, String detail, Throwable cause) {
    super(detail, cause);
    this.error = error;
  }

  public TradeError error() {
    return error;
  }

  public String subCode() {
    return error.subCode();
  }

  public String subMsg() {
    return error.subMsg();
  }

  static TradeException invalid(String detail) {
    return new TradeException(TradeError.INVALID_PARAMETER, detail);
  }
}
