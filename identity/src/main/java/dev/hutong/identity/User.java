package dev.hutong.identity;

import java.time.Instant;
import java.util.UUID;

/** A platform user. Secrets (password, PIN) never leave {@link Users}. */
public record User(
    UUID id, String phone, String nickname, UserStatus status, UUID walletAccountId,
    Instant createdAt) {}
