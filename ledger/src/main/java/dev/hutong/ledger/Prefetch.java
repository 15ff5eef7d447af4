package dev.hutong.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the writer reads from the database before it runs a batch: the rows the in-memory state
 * does not hold (transfers are not all kept in memory, only balances and open pending transfers).
 * One query per kind per batch, however many events the batch holds.
 */
final class Prefetch {
  /** Stored transfers whose id is a batch event's id or pending_id. */
  final Map<UUID, Transfer> transfers = new HashMap<>();
  /** Ids that failed before, with the reason. */
  final Map<UUID, CreateTransferResult> failed = new HashMap<>();
  /** Resolution of pending transfers named by pending_id that are no longer pending. */
  final Map<UUID, PendingStatus> pendingStatus = new HashMap<>();
  /** Stored accounts whose id a batch's create-account event repeats. */
  final Map<UUID, Account> accounts = new HashMap<>();
}
