package dev.hutong.pay;

import java.time.Instant;
import java.util.UUID;

/** A payment risk control refused: which rule, and a reason an operator can read. */
public record BlockedPayment(UUID id, Instant at, String tradeNo, UUID merchantId, UUID userId,
    long amountFen, String rule, String reason) {}
