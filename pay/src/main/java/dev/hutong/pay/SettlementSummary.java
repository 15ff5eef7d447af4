package dev.hutong.pay;

/**
 * A merchant's money at a glance, in fen: the settlement balance (ledger, posted), and all-time
 * sums from the trades and payouts behind it. {@code balanceFen = grossFen − feesFen −
 * refundedFen + feesReturnedFen − paidOutFen} holds (SettlementInvariants checks it), and
 * {@code settleableFen} is what the next T+1 sweep would pay out now.
 */
public record SettlementSummary(long balanceFen, long grossFen, long feesFen, long refundedFen,
    long feesReturnedFen, long paidOutFen, long settleableFen, boolean simulatedChannel,
    String channel) {}
