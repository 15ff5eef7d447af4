package dev.hutong.identity;

/**
 * An account's money in fen.
 *
 * @param posted credits posted − debits posted: what the account holds
 * @param available posted − debits pending: what it may still spend
 * @param pending credits pending − debits pending: money on its way in (+) or held (−)
 */
public record WalletBalance(long posted, long available, long pending) {}
