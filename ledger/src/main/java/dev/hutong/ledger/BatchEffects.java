package dev.hutong.ledger;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything one batch must write to the database, gathered while the state machine runs and
 * written in one transaction by {@link LedgerStore#commit}.
 */
final class BatchEffects {
  final List<Transfer> transfers = new ArrayList<>();
  final List<Account> accounts = new ArrayList<>();
  /** Accounts whose balances or flags changed, by table index. */
  final BitSet touched = new BitSet();
  /** New pending transfers: id → expires_at. */
  final Map<UUID, Long> pendingCreated = new HashMap<>();
  /** Pending transfers resolved in this batch (posted, voided, expired). */
  final Map<UUID, PendingStatus> pendingResolved = new HashMap<>();
  final List<FailedTransfer> failed = new ArrayList<>();
  final List<HistoryRow> history = new ArrayList<>();
  /** The highest timestamp the batch used; persisted implicitly through the rows above. */
  long lastTimestamp;

  record FailedTransfer(UUID id, CreateTransferResult result, long timestamp) {}

  record HistoryRow(UUID accountId, long timestamp, long debitsPending, long debitsPosted,
      long creditsPending, long creditsPosted) {}

  boolean isEmpty() {
    return transfers.isEmpty() && accounts.isEmpty() && touched.isEmpty()
        && pendingResolved.isEmpty() && failed.isEmpty();
  }
}
