package dev.hutong.pay;

import dev.hutong.identity.PaymentPins;
import dev.hutong.identity.PinCheck;
import java.util.UUID;

/**
 * The cashier sheet's one code path, used by the web shell and the admin CLI alike: a logged-in
 * user confirms a trade with the payment PIN. Order of checks: the trade must be payable by this
 * user (unpaid, open, not expired, and the buyer it names if it names one) — checked before the PIN
 * so a dead trade does not cost a PIN attempt — then the PIN with its lockout (5 wrong ones lock
 * payments for 15 minutes, {@link PaymentPins}), then the payment.
 *
 * <p>Confirming a trade this user already paid answers success again without moving money (a
 * double tap, or a retry after a lost answer).
 */
public final class Cashier {
  private final TradeService trades;
  private final PaymentPins pins;
  private final CollectCodes collectCodes;

  public Cashier(TradeService trades, PaymentPins pins, CollectCodes collectCodes) {
    this.trades = trades;
    this.pins = pins;
    this.collectCodes = collectCodes;
  }

  /** What the cashier sheet shows before the PIN: the trade (amount, subject, merchant id). */
  public Trade preview(String tradeNo) {
    return trades.byTradeNo(tradeNo);
  }

  /** The trade behind a scanned precreate QR code, for the sheet. */
  public Trade previewQrCode(String qrCode) {
    return trades.byQrCode(qrCode);
  }

  /** Pays {@code tradeNo} from the user's wallet after checking the PIN. */
  public CashierResult confirm(UUID userId, String tradeNo, String pin) {
    Trade t = trades.settleInFlight(trades.byTradeNo(tradeNo));
    return pay(userId, t, pin);
  }

  /** Pays the precreated trade behind a scanned qr_code, exactly as {@link #confirm} would. */
  public CashierResult payQrCode(UUID userId, String qrCode, String pin) {
    Trade t = trades.settleInFlight(trades.byQrCode(qrCode));
    return pay(userId, t, pin);
  }

  /**
   * Pays a street merchant's static collect code: the buyer typed {@code amountFen}.
   * {@code requestId} (from the buyer's device, one per payment) makes a retry pay once.
   */
  public CashierResult payCollectCode(UUID userId, String collectCode, long amountFen, String pin,
      String requestId) {
    Amounts.checkRange("amount", amountFen);
    Fields.outNo("request_id", requestId);
    UUID merchant = collectCodes.merchantFor(collectCode)
        .orElseThrow(() -> new TradeException(TradeError.QR_CODE_INVALID));
    Trade t = trades.settleInFlight(trades.openCollectTrade(merchant, userId, amountFen, requestId));
    return pay(userId, t, pin);
  }

  private CashierResult pay(UUID userId, Trade t, String pin) {
    if (t.status().paid()) {
      if (userId.equals(t.buyerUserId())) {
        return new CashierResult(CashierResult.SUCCESS, t);
      }
      throw new TradeException(TradeError.TRADE_HAS_SUCCESS);
    }
    if (t.status() == TradeStatus.TRADE_CLOSED) {
      throw new TradeException(TradeError.TRADE_HAS_CLOSE);
    }
    if (t.buyerNamed() && !userId.equals(t.buyerUserId())) {
      throw new TradeException(TradeError.TRADE_BUYER_NOT_MATCH);
    }
    PinCheck check;
    try {
      check = pins.verify(userId, pin);
    } catch (dev.hutong.identity.IdentityException e) {
      throw new TradeException(TradeError.USER_NOT_EXIST);
    }
    switch (check.outcome()) {
      case WRONG -> {
        trades.risk.recordPinWrong(userId);
        throw new TradeException(TradeError.PIN_WRONG,
          "the payment PIN is wrong; " + check.attemptsLeft() + " attempts left before payments lock");
      }
      case LOCKED -> throw new TradeException(TradeError.PIN_LOCKED,
          check.lockedUntil() == null ? "too many PIN checks at once: try again in a moment"
              : "payments are locked until " + AlipayTimes.format(check.lockedUntil()) + " (GMT+8)");
      default -> { }
    }
    return new CashierResult(CashierResult.SUCCESS, trades.payments.pay(t.tradeNo(), userId));
  }
}
