package dev.hutong.server.web;

import dev.hutong.identity.IdentityError;
import dev.hutong.pay.TradeError;
import io.helidon.http.Status;

/** The HTTP status of a domain refusal, the same for every JSON API (shell, admin, portal). */
public final class HttpStatuses {
  private HttpStatuses() {}

  public static Status of(TradeError error) {
    return switch (error) {
      case INVALID_PARAMETER -> Status.BAD_REQUEST_400;
      case TRADE_NOT_EXIST, USER_NOT_EXIST, QR_CODE_INVALID -> Status.NOT_FOUND_404;
      case PIN_WRONG, PIN_LOCKED -> Status.FORBIDDEN_403;
      case SYSTEM_ERROR -> Status.SERVICE_UNAVAILABLE_503;
      default -> Status.CONFLICT_409;
    };
  }

  public static Status of(IdentityError error) {
    return switch (error) {
      case USER_NOT_FOUND, MERCHANT_NOT_FOUND -> Status.NOT_FOUND_404;
      case PHONE_TAKEN, REQUEST_ID_REUSED, USER_FROZEN, MERCHANT_FROZEN, BALANCE_NOT_ENOUGH,
          LEDGER_REJECTED -> Status.CONFLICT_409;
      default -> Status.BAD_REQUEST_400;
    };
  }
}
