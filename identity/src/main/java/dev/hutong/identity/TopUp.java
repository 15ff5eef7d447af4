package dev.hutong.identity;

import java.util.UUID;

/**
 * A top-up request: move {@code amountFen} from the user's bank card into the wallet.
 *
 * @param requestId the client's idempotency key, unique per user
 * @param cardReference which card, as the channel knows it (may be null for the simulated bank)
 */
public record TopUp(UUID userId, long amountFen, String requestId, String cardReference) {}
