package dev.hutong.identity;

import dev.hutong.ledger.CreateTransferResult;
import dev.hutong.ledger.Ledger;
import dev.hutong.ledger.Transfer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * THE SIMULATED PART OF THE PLATFORM. A stand-in for a bank: every top-up "arrives" at once and
 * every payout "leaves" at once, with no real card, account or money behind them. Everything
 * else — wallets, trades, refunds, fees — is real ledger accounting; only this edge is pretend.
 * Its results carry {@code simulated=true}, and every UI that shows one must label it as such.
 *
 * <p>How it works: an operation row is written first (idempotency key: kind, owner, request id),
 * then ONE ledger transfer whose id is the row's id (derived from the key and the row's time), then
 * the row's outcome. A crash in between leaves a PROCESSING row; repeating the request resubmits
 * the same transfer id, which the ledger answers {@code exists} if it had committed.
 */
public final class SimulatedBankChannel implements FundingChannel {
  public static final String NAME = "simulated-bank";
  /** At most 1,000,000.00 per operation. */
  public static final long AMOUNT_FEN_MAX = 100_000_000L;

  private final Jdbi jdbi;
  private final Ledger ledger;
  private final Users users;
  private final Merchants merchants;
  private final Clock clock;

  public SimulatedBankChannel(Jdbi jdbi, Ledger ledger, Users users, Merchants merchants,
      Clock clock) {
    this.jdbi = jdbi;
    this.ledger = ledger;
    this.users = users;
    this.merchants = merchants;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean simulated() {
    return true;
  }

  @Override
  public FundingResult topUp(TopUp request) {
    checkAmount(request.amountFen());
    String requestId = checkRequestId(request.requestId());
    User user = users.get(request.userId());
    if (user.status() != UserStatus.ACTIVE) {
      throw new IdentityException(IdentityError.USER_FROZEN);
    }
    return run(FundingResult.Kind.TOP_UP, user.id(), requestId, request.amountFen(),
        Wallets.EXTERNAL_FUNDING_ACCOUNT_ID, user.walletAccountId(), LedgerCodes.TRANSFER_TOP_UP);
  }

  @Override
  public FundingResult payout(Payout request) {
    checkAmount(request.amountFen());
    String requestId = checkRequestId(request.requestId());
    Merchant merchant = merchants.get(request.merchantId());
    return run(FundingResult.Kind.PAYOUT, merchant.id(), requestId, request.amountFen(),
        merchant.settlementAccountId(), Wallets.EXTERNAL_FUNDING_ACCOUNT_ID,
        LedgerCodes.TRANSFER_PAYOUT);
  }

  /** A past operation by its request id. */
  public Optional<FundingResult> find(FundingResult.Kind kind, UUID ownerId, String requestId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_funding_operation"
            + " WHERE kind = :kind AND owner_id = :owner AND request_id = :req")
        .bind("kind", kind.name()).bind("owner", Tx.uuid(ownerId)).bind("req", requestId)
        .map((rs, ctx) -> new FundingResult(Tx.uuid(rs, "id"),
            FundingResult.Kind.valueOf(rs.getString("kind")), Tx.uuid(rs, "owner_id"),
            rs.getString("request_id"), rs.getLong("amount"),
            FundingResult.Status.valueOf(rs.getString("status")), rs.getString("failure"),
            rs.getString("channel"), rs.getBoolean("simulated"), Tx.instant(rs, "created_at"),
            Tx.instant(rs, "completed_at")))
        .findOne());
  }

  private FundingResult run(FundingResult.Kind kind, UUID owner, String requestId, long amount,
      UUID debit, UUID credit, int code) {
    Instant now = clock.instant();
    UUID candidateId = DerivedIds.of(now.toEpochMilli(),
        "funding:" + kind + ":" + owner + ":" + requestId);
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO identity_funding_operation (id, kind, owner_id,"
            + " request_id, amount, channel, simulated, status, created_at) VALUES (:id, :kind,"
            + " :owner, :req, :amount, :channel, true, 'PROCESSING', :at)"
            + " ON CONFLICT (kind, owner_id, request_id) DO NOTHING")
        .bind("id", Tx.uuid(candidateId)).bind("kind", kind.name()).bind("owner", Tx.uuid(owner))
        .bind("req", requestId).bind("amount", amount).bind("channel", NAME)
        .bind("at", Tx.at(now)).execute());
    FundingResult op = find(kind, owner, requestId).orElseThrow();
    if (op.amountFen() != amount) {
      throw new IdentityException(IdentityError.REQUEST_ID_REUSED);
    }
    if (op.status() != FundingResult.Status.PROCESSING) {
      return op;
    }
    Transfer transfer = Transfer.of(op.operationId(), debit, credit, amount,
        LedgerCodes.LEDGER_CNY, code);
    CreateTransferResult result = ledger.createTransfers(List.of(transfer)).get(0);
    String failure = null;
    if (!result.ok()) {
      failure = switch (result) {
        case EXCEEDS_CREDITS, ID_ALREADY_FAILED -> IdentityError.BALANCE_NOT_ENOUGH.name();
        default -> IdentityError.LEDGER_REJECTED.name();
      };
    }
    String status = failure == null ? "SUCCESS" : "FAILED";
    String failureText = failure;
    Tx.run(jdbi, h -> h.createUpdate("UPDATE identity_funding_operation SET status = :status,"
            + " failure = :failure, completed_at = :at WHERE id = :id AND status = 'PROCESSING'")
        .bind("status", status).bind("failure", failureText).bind("at", Tx.at(clock.instant()))
        .bind("id", Tx.uuid(op.operationId())).execute());
    return find(kind, owner, requestId).orElseThrow();
  }

  private static void checkAmount(long amountFen) {
    if (amountFen <= 0 || amountFen > AMOUNT_FEN_MAX) {
      throw new IdentityException(IdentityError.INVALID_AMOUNT);
    }
  }

  private static String checkRequestId(String requestId) {
    if (requestId == null || !requestId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IdentityException(IdentityError.INVALID_REQUEST_ID);
    }
    return requestId;
  }
}
