package dev.hutong.booking;

/**
 * The ledger numbers the booking module writes. They extend identity's LedgerCodes table (which
 * booking may not import); keep the two in step: add, never edit.
 */
public final class BookingCodes {
  /** The yuan (ISO 4217 numeric), as LedgerCodes.LEDGER_CNY. */
  public static final int LEDGER_CNY = 156;
  /** Tenant wallet to agency settlement, pending until move-in: a holding deposit in escrow. */
  public static final int TRANSFER_DEPOSIT_ESCROW = 301;

  private BookingCodes() {}
}
