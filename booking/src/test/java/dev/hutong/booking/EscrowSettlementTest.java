package dev.hutong.booking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hutong.identity.FundingResult;
import dev.hutong.identity.Merchant;
import dev.hutong.identity.User;
import dev.hutong.pay.AlipayTimes;
import dev.hutong.pay.Settlement;
import dev.hutong.pay.SettlementInvariants;
import dev.hutong.pay.SweepReport;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pay's daily settlement sweep and booking's escrow together: an estate agency holding a deposit
 * in escrow (a pending ledger transfer on its settlement account) is paid out only its available
 * balance; the escrowed deposit stays until the move-in voids the hold on it, and the next day's
 * sweep pays it. Runs the real sweep (pay's {@link Settlement}) on the real ledger.
 */
class EscrowSettlementTest {
  static BookingFixture f;
  static Settlement settlement;

  @BeforeAll
  static void setUp() {
    f = new BookingFixture("booking_escrow_settlement", 8);
    settlement = new Settlement(f.jdbi, f.merchants, f.wallets, f.bank, f.clock);
  }

  @AfterAll
  static void tearDown() {
    f.close();
  }

  record Agency(Venue venue, Merchant merchant, UUID flat, UUID studio) {}

  /** An agency with a bank account (so the sweep pays it) and two listings. */
  private Agency agency(String appId) {
    Merchant m = f.merchant();
    f.merchants.setBankAccount(m.id(), "Lane Homes Ltd", "6222021001012345", f.bank);
    Venue v = f.venues.create(new Venue(null, appId, m.id(), VenueKind.PROPERTY, "Lane Homes",
        24, 0, 15, 0, 1, 1, 14, 7));
    UUID flat = f.venues.addListing(v, new Venues.NewListing("Courtyard flat", "12 Hutong Lane",
        "Dongcheng", "RENT", 6500_00, 58, 2, List.of("courtyard"), List.of("img/flat-1.svg"),
        3000_00));
    UUID studio = f.venues.addListing(v, new Venues.NewListing("Studio", "3 Bell Lane",
        "Dongcheng", "RENT", 4200_00, 30, 1, List.of("metro"), List.of("img/flat-2.svg"),
        2000_00));
    return new Agency(v, m, flat, studio);
  }

  /** A tenant asks for the listing's deposit and pays it in the cashier: it goes in escrow. */
  private Reservation paidDeposit(Agency a, User u, UUID listing) {
    Reservation held = f.escrow.place(a.venue().appId(), u.id(), "dep-" + u.id(), listing);
    f.pay(u, held);
    Reservation r = f.escrow.settle(f.reservations.get(held.id()));
    assertThat(r.depositStatus()).isEqualTo("PENDING");
    return r;
  }

  private LocalDate today() {
    return f.clock.instant().atZone(AlipayTimes.ZONE).toLocalDate();
  }

  private void nextDay() {
    f.clock.advance(Duration.ofDays(1));
  }

  private void assertInvariants() throws Exception {
    f.assertInvariants();
    assertThat(SettlementInvariants.violations(f.ds)).as("settlement invariants").isEmpty();
  }

  @Test
  void theSweepPaysTheAvailableBalanceAndTheEscrowedDepositAfterTheMoveIn() throws Exception {
    Agency a = agency("homes-sweep");
    LocalDate day1 = today();
    // Settled income: a deposit of 3,000.00 whose tenant moved in (less the 0.6% fee: 2,982.00).
    Reservation moved = paidDeposit(a, f.user(5000_00), a.flat());
    f.escrow.confirmMoveIn(a.venue(), moved.id());
    // In escrow: a deposit of 2,000.00 (1,988.00 to the agency once the tenant moves in).
    User tenant = f.user(5000_00);
    Reservation escrowed = paidDeposit(a, tenant, a.studio());
    assertThat(f.balance(a.merchant())).isEqualTo(2982_00 + 1988_00);
    assertThat(f.available(a.merchant())).isEqualTo(2982_00);

    nextDay();
    SweepReport first = settlement.sweepDue();
    assertThat(first.businessDay()).isEqualTo(day1);
    assertThat(settlement.payouts(a.merchant().id(), 10)).singleElement().satisfies(p -> {
      assertThat(p.amountFen()).isEqualTo(2982_00);
      assertThat(p.requestId()).isEqualTo("sweep-" + day1);
      assertThat(p.status()).isEqualTo(FundingResult.Status.SUCCESS);
    });
    // The escrowed deposit stayed: posted on the agency's account, held by the pending transfer.
    assertThat(f.balance(a.merchant())).isEqualTo(1988_00);
    assertThat(f.available(a.merchant())).isZero();
    assertThat(settlement.summary(a.merchant().id()).settleableFen()).isZero();
    assertThat(f.reservations.get(escrowed.id()).depositStatus()).isEqualTo("PENDING");
    assertThat(settlement.sweepDue().alreadySwept()).isGreaterThanOrEqualTo(1);
    assertThat(settlement.payouts(a.merchant().id(), 10)).hasSize(1);
    assertInvariants();

    // The move-in voids the hold; the deposit is the agency's, and the next sweep pays it.
    LocalDate day2 = today();
    Reservation in = f.escrow.confirmMoveIn(a.venue(), escrowed.id());
    assertThat(in.depositStatus()).isEqualTo("POSTED");
    assertThat(f.available(a.merchant())).isEqualTo(1988_00);
    nextDay();
    assertThat(settlement.sweepDue().businessDay()).isEqualTo(day2);
    assertThat(settlement.payouts(a.merchant().id(), 10)).first().satisfies(p -> {
      assertThat(p.amountFen()).isEqualTo(1988_00);
      assertThat(p.requestId()).isEqualTo("sweep-" + day2);
    });
    assertThat(f.balance(a.merchant())).isZero();
    assertThat(f.balance(tenant)).isEqualTo(3000_00);

    nextDay();
    assertThat(settlement.sweepDue().paidOut()).isZero();
    assertThat(settlement.payouts(a.merchant().id(), 10)).hasSize(2);
    assertInvariants();
  }

  @Test
  void aDepositCancelledAfterTheSweepIsRefundedWholeFromWhatTheSweepLeft() throws Exception {
    Agency a = agency("homes-sweep-cancel");
    Reservation moved = paidDeposit(a, f.user(5000_00), a.flat());
    f.escrow.confirmMoveIn(a.venue(), moved.id());
    User tenant = f.user(5000_00);
    Reservation escrowed = paidDeposit(a, tenant, a.studio());

    nextDay();
    settlement.sweepDue();
    assertThat(settlement.payouts(a.merchant().id(), 10)).singleElement()
        .satisfies(p -> assertThat(p.amountFen()).isEqualTo(2982_00));

    // Had the sweep paid the posted balance, the agency could not give the deposit back.
    Reservation cancelled = f.escrow.cancel(a.venue().appId(), tenant.id(), escrowed.id());
    assertThat(cancelled.depositStatus()).isEqualTo("VOIDED");
    assertThat(cancelled.refundStatus()).isEqualTo("DONE");
    assertThat(f.balance(tenant)).isEqualTo(5000_00);
    assertThat(f.balance(a.merchant())).isZero();

    nextDay();
    assertThat(settlement.sweepDue().paidOut()).isZero();
    assertInvariants();
  }

  @Test
  void anOnDemandPayoutCannotTakeTheEscrowedDeposit() throws Exception {
    Agency a = agency("homes-payout");
    Reservation escrowed = paidDeposit(a, f.user(5000_00), a.studio());
    assertThat(f.balance(a.merchant())).isEqualTo(1988_00);
    FundingResult refused = settlement.payout(a.merchant().id(), 1988_00, "po-escrow");
    assertThat(refused.status()).isEqualTo(FundingResult.Status.FAILED);
    assertThat(refused.failure()).isEqualTo("BALANCE_NOT_ENOUGH");
    assertThat(f.balance(a.merchant())).isEqualTo(1988_00);
    f.escrow.confirmMoveIn(a.venue(), escrowed.id());
    assertThat(settlement.payout(a.merchant().id(), 1988_00, "po-moved-in").succeeded()).isTrue();
    assertThat(f.balance(a.merchant())).isZero();
    assertInvariants();
  }
}
