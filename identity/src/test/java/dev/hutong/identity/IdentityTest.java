package dev.hutong.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.db.MutableClock;
import dev.hutong.ledger.Account;
import dev.hutong.ledger.AccountFlags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("db")
class IdentityTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
  @RegisterExtension
  static final IdentityFixture f = new IdentityFixture("identity", 8, clock, "139");
  static final PaymentPins pins = new PaymentPins(f.jdbi, f.hasher, clock);
  static final OpenIds openIds = new OpenIds(f.jdbi, clock);

  static User user() {
    return f.users.create(new NewUser(f.phone(), "secret-pw", "123456", null));
  }

  @Test
  void createsUserWithWalletThatCannotGoNegative() {
    String phone = f.phone();
    User u = f.users.create(new NewUser(phone, "secret-pw", "123456", "Li Lei"));
    assertThat(u.phone()).isEqualTo("+86" + phone);
    assertThat(u.status()).isEqualTo(UserStatus.ACTIVE);
    assertThat(f.users.get(u.id())).isEqualTo(u);
    Account wallet = f.ledger.lookupAccounts(List.of(u.walletAccountId())).get(0);
    assertThat(wallet.code()).isEqualTo(LedgerCodes.ACCOUNT_USER_WALLET);
    assertThat(wallet.ledger()).isEqualTo(156);
    assertThat(wallet.hasFlag(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)).isTrue();
    assertThat(wallet.hasFlag(AccountFlags.HISTORY)).isTrue();
    assertThat(f.wallets.balance(u.walletAccountId()).posted()).isZero();
    assertThat(f.users.findByPhone("+86 " + phone)).contains(u);
  }

  @Test
  void refusesDuplicateAndInvalidInput() {
    String phone = f.phone();
    f.users.create(new NewUser(phone, "secret-pw", "123456", null));
    assertThatThrownBy(() -> f.users.create(new NewUser("+86" + phone, "secret-pw", "123456", null)))
        .isInstanceOfSatisfying(IdentityException.class,
            e -> assertThat(e.error()).isEqualTo(IdentityError.PHONE_TAKEN));
    for (String bad : List.of("12345", "1234567890a", "10012345678", "+0123456789", "")) {
      assertThatThrownBy(() -> f.users.create(new NewUser(bad, "secret-pw", "123456", null)))
          .isInstanceOfSatisfying(IdentityException.class,
              e -> assertThat(e.error()).isEqualTo(IdentityError.INVALID_PHONE));
    }
    for (String bad : List.of("12345", "1234567", "abcdef", "12 456")) {
      assertThatThrownBy(() -> f.users.create(new NewUser(f.phone(), "secret-pw", bad, null)))
          .isInstanceOfSatisfying(IdentityException.class,
              e -> assertThat(e.error()).isEqualTo(IdentityError.INVALID_PIN));
    }
    assertThatThrownBy(() -> f.users.create(new NewUser(f.phone(), "short", "123456", null)))
        .isInstanceOfSatisfying(IdentityException.class,
            e -> assertThat(e.error()).isEqualTo(IdentityError.INVALID_PASSWORD));
    assertThat(Phones.normalize("+44 7700 900123")).isEqualTo("+447700900123");
  }

  @Test
  void verifiesLoginWithTheSlowHash() {
    String phone = f.phone();
    User u = f.users.create(new NewUser(phone, "correct horse", "654321", null));
    assertThat(f.users.verifyLogin(phone, "correct horse")).contains(u);
    assertThat(f.users.verifyLogin(phone, "wrong horse")).isEmpty();
    assertThat(f.users.verifyLogin("13000000000", "correct horse")).isEmpty();
    assertThat(f.users.verifyLogin("not a phone", "x")).isEmpty();
    String stored = f.jdbi.withHandle(h -> h.createQuery(
        "SELECT password_hash || ' ' || pin_hash FROM identity_user WHERE id = :id")
        .bind("id", u.id()).mapTo(String.class).one());
    assertThat(stored).startsWith("$2a$").doesNotContain("correct horse").doesNotContain("654321");
  }

  @Test
  void fiveWrongPinsLockPaymentsForFifteenMinutes() {
    User u = user();
    assertThat(pins.verify(u.id(), "123456").outcome()).isEqualTo(PinCheck.Outcome.OK);
    for (int i = 1; i <= 4; i++) {
      PinCheck c = pins.verify(u.id(), "000000");
      assertThat(c.outcome()).isEqualTo(PinCheck.Outcome.WRONG);
      assertThat(c.attemptsLeft()).isEqualTo(5 - i);
    }
    PinCheck fifth = pins.verify(u.id(), "000000");
    assertThat(fifth.outcome()).isEqualTo(PinCheck.Outcome.LOCKED);
    assertThat(fifth.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    // Locked: even the right PIN is refused, and the refusal does not extend the lock.
    assertThat(pins.verify(u.id(), "123456").outcome()).isEqualTo(PinCheck.Outcome.LOCKED);
    clock.advance(Duration.ofMinutes(14));
    assertThat(pins.verify(u.id(), "123456").outcome()).isEqualTo(PinCheck.Outcome.LOCKED);
    clock.advance(Duration.ofMinutes(1));
    assertThat(pins.verify(u.id(), "123456").outcome()).isEqualTo(PinCheck.Outcome.OK);
    // The count starts again after the lock.
    assertThat(pins.verify(u.id(), "000000").attemptsLeft()).isEqualTo(4);
    assertThat(pins.verify(u.id(), "123456").ok()).isTrue();
    assertThat(pins.verify(u.id(), "000000").attemptsLeft()).isEqualTo(4);
  }

  @Test
  void wrongPinCountResetsAfterTheLockExpiresWithoutARightPin() {
    User u = user();
    for (int i = 0; i < 5; i++) {
      pins.verify(u.id(), "999999");
    }
    clock.advance(Duration.ofMinutes(16));
    assertThat(pins.verify(u.id(), "999999").attemptsLeft()).isEqualTo(4);
  }

  @Test
  void concurrentGuessesGetAtMostFiveChecks() throws Exception {
    User u = user();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Callable<PinCheck>> guesses = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String guess = String.format("%06d", 100000 + i);
      guesses.add(() -> pins.verify(u.id(), guess));
    }
    int wrong = 0;
    for (Future<PinCheck> f : pool.invokeAll(guesses)) {
      if (f.get().outcome() == PinCheck.Outcome.WRONG) {
        wrong++;
      }
    }
    pool.shutdown();
    assertThat(wrong).isLessThanOrEqualTo(4);
    assertThat(pins.verify(u.id(), "123456").outcome()).isEqualTo(PinCheck.Outcome.LOCKED);
  }

  @Test
  void merchantsHaveSettlementAccountsAndIntegerFeeRates() {
    Merchant m = f.merchants.create(new NewMerchant("Noodle Shop", "food", FeeRate.parse("0.006")));
    assertThat(m.feeRate().ppm()).isEqualTo(6000);
    assertThat(m.feeRate().format()).isEqualTo("0.006");
    assertThat(f.merchants.get(m.id())).isEqualTo(m);
    Account a = f.ledger.lookupAccounts(List.of(m.settlementAccountId())).get(0);
    assertThat(a.code()).isEqualTo(LedgerCodes.ACCOUNT_MERCHANT_SETTLEMENT);
    assertThat(a.hasFlag(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)).isTrue();
    f.merchants.setStatus(m.id(), MerchantStatus.FROZEN);
    assertThat(f.merchants.get(m.id()).status()).isEqualTo(MerchantStatus.FROZEN);
    assertThatThrownBy(() -> f.merchants.create(new NewMerchant(" ", null, null)))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void openIdsAreStablePerAppAndDifferentAcrossApps() throws Exception {
    User u = user();
    String a1 = openIds.openIdFor("2021000000000001", u.id());
    assertThat(openIds.openIdFor("2021000000000001", u.id())).isEqualTo(a1);
    String a2 = openIds.openIdFor("2021000000000002", u.id());
    assertThat(a2).isNotEqualTo(a1);
    assertThat(a1).hasSize(32).matches("0[0-9A-Za-z]{31}").doesNotContain(u.id().toString());
    assertThat(openIds.userFor("2021000000000001", a1)).contains(u.id());
    assertThat(openIds.userFor("2021000000000002", a1)).isEmpty();
    assertThat(openIds.userFor("2021000000000001", "0nope")).isEmpty();
    // Concurrent first uses agree on one open_id.
    User v = user();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(() -> openIds.openIdFor("app-x", v.id()));
    }
    Set<String> seen = new HashSet<>();
    for (Future<String> f : pool.invokeAll(calls)) {
      seen.add(f.get());
    }
    pool.shutdown();
    assertThat(seen).hasSize(1);
    assertThatThrownBy(() -> openIds.openIdFor("app-x", UUID.randomUUID()))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void topUpsAreIdempotentAndLabelledSimulated() {
    User u = user();
    FundingResult r = f.bank.topUp(new TopUp(u.id(), 10_000, "req-1", null));
    assertThat(r.status()).isEqualTo(FundingResult.Status.SUCCESS);
    assertThat(r.simulated()).isTrue();
    assertThat(r.channel()).isEqualTo("simulated-bank");
    FundingResult again = f.bank.topUp(new TopUp(u.id(), 10_000, "req-1", null));
    assertThat(again).isEqualTo(r);
    assertThat(f.wallets.balance(u.walletAccountId()).posted()).isEqualTo(10_000);
    assertThatThrownBy(() -> f.bank.topUp(new TopUp(u.id(), 20_000, "req-1", null)))
        .isInstanceOfSatisfying(IdentityException.class,
            e -> assertThat(e.error()).isEqualTo(IdentityError.REQUEST_ID_REUSED));
    f.bank.topUp(new TopUp(u.id(), 5, "req-2", null));
    assertThat(f.wallets.balance(u.walletAccountId()).posted()).isEqualTo(10_005);
    assertThatThrownBy(() -> f.bank.topUp(new TopUp(u.id(), 0, "req-3", null)))
        .isInstanceOf(IdentityException.class);
    f.users.setStatus(u.id(), UserStatus.FROZEN);
    assertThatThrownBy(() -> f.bank.topUp(new TopUp(u.id(), 100, "req-4", null)))
        .isInstanceOfSatisfying(IdentityException.class,
            e -> assertThat(e.error()).isEqualTo(IdentityError.USER_FROZEN));
  }

  @Test
  void payoutsCannotTakeASettlementAccountBelowZero() {
    Merchant m = f.merchants.create(new NewMerchant("Cinema", "film", FeeRate.ZERO));
    FundingResult r = f.bank.payout(new Payout(m.id(), 100, "p-1"));
    assertThat(r.status()).isEqualTo(FundingResult.Status.FAILED);
    assertThat(r.failure()).isEqualTo("BALANCE_NOT_ENOUGH");
    assertThat(f.bank.payout(new Payout(m.id(), 100, "p-1"))).isEqualTo(r);
    assertThatThrownBy(r::requireSuccess).isInstanceOf(IdentityException.class);
    assertThat(f.wallets.balance(m.settlementAccountId()).posted()).isZero();
  }
}
