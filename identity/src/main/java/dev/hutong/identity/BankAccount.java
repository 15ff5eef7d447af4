package dev.hutong.identity;

/**
 * A merchant's settlement bank account: where payouts go, through the funding channel named in
 * {@code channel}. With {@link SimulatedBankChannel} no real bank is involved: {@code simulated}
 * tells every UI to label it.
 */
public record BankAccount(String holder, String accountNo, String channel, boolean simulated) {
  /** The number as UIs show it: the last four digits only. */
  public String masked() {
    return "**** " + accountNo.substring(accountNo.length() - 4);
  }

  static String validNumber(String accountNo) {
    String digits = accountNo == null ? "" : accountNo.replace(" ", "");
    if (!digits.matches("[0-9]{8,30}")) {
      throw new IdentityException(IdentityError.INVALID_BANK_ACCOUNT);
    }
    return digits;
  }
}
