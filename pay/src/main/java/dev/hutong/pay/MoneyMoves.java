package dev.hutong.pay;

import dev.hutong.identity.LedgerCodes;
import dev.hutong.identity.Wallets;
import dev.hutong.ledger.CreateTransferResult;
import dev.hutong.ledger.Transfer;
import dev.hutong.ledger.TransferFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ledger transfers of payments and refunds, built only from stored rows, so a retry or a
 * recovery pass rebuilds exactly the transfers of the first submission (same ids, same fields: the
 * ledger answers {@code exists}).
 */
final class MoneyMoves {
  private MoneyMoves() {}

  /**
   * Paying: ONE linked chain — buyer wallet → merchant settlement (total), then merchant
   * settlement → platform fees (fee; left out when zero, since the ledger refuses zero amounts).
   * user_data_128 of each transfer is the trade's id.
   */
  static List<Transfer> payment(Trade t, UUID buyerWallet, UUID merchantSettlement) {
    List<Transfer> chain = new ArrayList<>(2);
    Transfer pay = Transfer.of(t.payTransferId(), buyerWallet, merchantSettlement, t.totalAmount(),
        LedgerCodes.LEDGER_CNY, LedgerCodes.TRANSFER_PAYMENT).withUserData(t.id(), 0, 0);
    if (t.feeAmount() > 0) {
      chain.add(pay.withFlags(TransferFlags.LINKED));
      chain.add(Transfer.of(t.feeTransferId(), merchantSettlement, Wallets.PLATFORM_FEE_ACCOUNT_ID,
          t.feeAmount(), LedgerCodes.LEDGER_CNY, LedgerCodes.TRANSFER_FEE).withUserData(t.id(), 0, 0));
    } else {
      chain.add(pay);
    }
    return chain;
  }

  /**
   * Refunding: ONE linked chain — platform fees → merchant settlement (the fee share; left out
   * when zero), then merchant settlement → buyer wallet (the refund). The fee share comes first so
   * that it counts towards the merchant's balance for the refund.
   */
  static List<Transfer> refund(Trade t, Refund r, UUID buyerWallet, UUID merchantSettlement) {
    List<Transfer> chain = new ArrayList<>(2);
    if (r.feeRefund() > 0) {
      chain.add(Transfer.of(r.feeRefundTransferId(), Wallets.PLATFORM_FEE_ACCOUNT_ID,
          merchantSettlement, r.feeRefund(), LedgerCodes.LEDGER_CNY, LedgerCodes.TRANSFER_FEE_REFUND)
          .withUserData(t.id(), 0, 0).withFlags(TransferFlags.LINKED));
    }
    chain.add(Transfer.of(r.refundTransferId(), merchantSettlement, buyerWallet, r.amount(),
        LedgerCodes.LEDGER_CNY, LedgerCodes.TRANSFER_REFUND).withUserData(t.id(), 0, 0));
    return chain;
  }

  /** The ledger's verdict on a chain. */
  enum Verdict {
    /** Every transfer exists now (created by this call or before). */
    POSTED,
    /** A balance limit refused it; nothing moved (and these ids are spent). */
    INSUFFICIENT,
    /** Refused for another reason; nothing moved. */
    REFUSED
  }

  static Verdict verdict(List<CreateTransferResult> results) {
    if (results.stream().allMatch(CreateTransferResult::ok)) {
      return Verdict.POSTED;
    }
    for (CreateTransferResult r : results) {
      if (r == CreateTransferResult.EXCEEDS_CREDITS || r == CreateTransferResult.EXCEEDS_DEBITS
          || r == CreateTransferResult.ID_ALREADY_FAILED) {
        return Verdict.INSUFFICIENT;
      }
    }
    return Verdict.REFUSED;
  }

  /** The first result that is not a linked-event echo, for messages. */
  static CreateTransferResult cause(List<CreateTransferResult> results) {
    for (CreateTransferResult r : results) {
      if (!r.ok() && r != CreateTransferResult.LINKED_EVENT_FAILED) {
        return r;
      }
    }
    return results.get(0);
  }
}
