package dev.hutong.identity;

/**
 * Money crossing the platform's edge: top-ups from a user's bank card into the wallet, payouts
 * from a merchant's settlement account to its bank account. On the ledger both move money against
 * the external funding account, which stands for the bank side.
 *
 * <p>Every operation is idempotent by its client request id: repeating a request answers the
 * first one's result and moves no money. A request id that failed stays failed (as in the ledger):
 * a new attempt needs a new request id.
 *
 * <p>Anything that talks to a real bank goes over the network and belongs to the server; this
 * interface is what the domain sees. Hutong ships one implementation, {@link SimulatedBankChannel}.
 */
public interface FundingChannel {
  /** A short name shown to operators, e.g. "simulated-bank". */
  String name();

  /** True when no real money moves: UIs must label every result of such a channel as simulated. */
  boolean simulated();

  FundingResult topUp(TopUp request);

  FundingResult payout(Payout request);
}
