package dev.hutong.ledger;

import java.util.Objects;
import java.util.UUID;

/**
 * A transfer of {@code amount} minor units from the debit account to the credit account.
 * Immutable once the ledger has created it.
 *
 * @param pendingId for a post or void: the pending transfer it resolves; otherwise zero
 * @param timeoutSeconds for a pending transfer: seconds until it expires by itself (0: never)
 * @param timestamp assigned by the ledger (nanoseconds, strictly increasing); 0 in a request
 */
public record Transfer(
    UUID id,
    UUID debitAccountId,
    UUID creditAccountId,
    long amount,
    UUID pendingId,
    UUID userData128,
    long userData64,
    int userData32,
    int timeoutSeconds,
    int ledger,
    int code,
    int flags,
    long timestamp) {

  public Transfer {
    Objects.requireNonNull(id, "id");
    debitAccountId = debitAccountId == null ? Ids.ZERO : debitAccountId;
    creditAccountId = creditAccountId == null ? Ids.ZERO : creditAccountId;
    pendingId = pendingId == null ? Ids.ZERO : pendingId;
    userData128 = userData128 == null ? Ids.ZERO : userData128;
  }

  /** A single-phase transfer request. */
  public static Transfer of(UUID id, UUID debit, UUID credit, long amount, int ledger, int code) {
    return new Transfer(id, debit, credit, amount, Ids.ZERO, Ids.ZERO, 0, 0, 0, ledger, code, 0, 0);
  }

  /** A pending (phase one) transfer request that expires after {@code timeoutSeconds} (0: never). */
  public static Transfer pending(UUID id, UUID debit, UUID credit, long amount, int ledger, int code,
      int timeoutSeconds) {
    return new Transfer(id, debit, credit, amount, Ids.ZERO, Ids.ZERO, 0, 0, timeoutSeconds, ledger,
        code, TransferFlags.PENDING, 0);
  }

  /** Posts {@code amount} of a pending transfer (0: the whole pending amount). */
  public static Transfer post(UUID id, UUID pendingId, long amount) {
    return new Transfer(id, Ids.ZERO, Ids.ZERO, amount, pendingId, Ids.ZERO, 0, 0, 0, 0, 0,
        TransferFlags.POST_PENDING_TRANSFER, 0);
  }

  /** Voids a pending transfer. */
  public static Transfer voidPending(UUID id, UUID pendingId) {
    return new Transfer(id, Ids.ZERO, Ids.ZERO, 0, pendingId, Ids.ZERO, 0, 0, 0, 0, 0,
        TransferFlags.VOID_PENDING_TRANSFER, 0);
  }

  public Transfer withFlags(int newFlags) {
    return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, userData128,
        userData64, userData32, timeoutSeconds, ledger, code, newFlags, timestamp);
  }

  public Transfer withUserData(UUID data128, long data64, int data32) {
    return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, data128, data64,
        data32, timeoutSeconds, ledger, code, flags, timestamp);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }
}
