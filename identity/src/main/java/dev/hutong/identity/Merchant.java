package dev.hutong.identity;

import java.time.Instant;
import java.util.UUID;

/** A merchant: who receives payments (in its settlement account) and pays the platform a fee. */
public record Merchant(
    UUID id, String name, String category, FeeRate feeRate, MerchantStatus status,
    UUID settlementAccountId, Instant createdAt) {}
