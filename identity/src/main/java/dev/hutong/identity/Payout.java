package dev.hutong.identity;

import java.util.UUID;

/**
 * A payout request: move {@code amountFen} from the merchant's settlement account to its bank.
 *
 * @param requestId the client's idempotency key, unique per merchant
 */
public record Payout(UUID merchantId, long amountFen, String requestId) {}
