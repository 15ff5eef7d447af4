package dev.hutong.identity;

import java.util.UUID;

/** The platform's own ledger accounts (one each per deployment). */
public record PlatformAccounts(UUID feeAccountId, UUID externalFundingAccountId) {}
