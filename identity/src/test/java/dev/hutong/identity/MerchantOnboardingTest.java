package dev.hutong.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hutong.db.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Self-onboarding, staff logins, tiers and limits, bank accounts, search, the audit log. */
@Tag("db")
class MerchantOnboardingTest {
  static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T02:00:00Z"));
  @RegisterExtension
  static final IdentityFixture f = new IdentityFixture("onboarding", 6, clock, "137");
  static final MerchantStaff staff = new MerchantStaff(f.jdbi, f.hasher, clock);
  static final MerchantOnboarding onboarding = new MerchantOnboarding(f.jdbi, f.wallets,
      f.merchants, staff, f.bank, FeeRate.parse("0.006"), clock);
  static final AuditLog audit = new AuditLog(f.jdbi, clock);

  static NewOnboarding form(String phone, String name) {
    return new NewOnboarding(name, "food", "Beijing", phone, "noodles-2026", "Wang Fang",
        "6222 0210 0101 2345");
  }

  @Test
  void onboardingMakesAnActiveMicroMerchantWithOwnerLoginAndBankAccount() {
    String phone = f.phone();
    MerchantOnboarding.Onboarded o = onboarding.onboard(form(phone, "Wang's Noodles"));
    MerchantProfile p = o.profile();
    assertThat(p.merchant().status()).isEqualTo(MerchantStatus.ACTIVE);
    assertThat(p.merchant().feeRate()).isEqualTo(FeeRate.parse("0.006"));
    assertThat(p.limits()).isEqualTo(MerchantLimits.MICRO);
    assertThat(p.city()).isEqualTo("Beijing");
    assertThat(p.contactPhone()).isEqualTo("+86" + phone);
    assertThat(p.bankAccount().accountNo()).isEqualTo("6222021001012345");
    assertThat(p.bankAccount().masked()).isEqualTo("**** 2345");
    assertThat(p.bankAccount().simulated()).isTrue();
    assertThat(o.owner().role()).isEqualTo(StaffMember.Role.OWNER);
    assertThat(staff.login(phone, "noodles-2026")).isEqualTo(o.owner());
    assertThat(f.ledger.lookupAccounts(List.of(p.merchant().settlementAccountId()))).hasSize(1);
  }

  @Test
  void repeatingTheSameFormReturnsTheSameMerchantAndAnythingElseIsRefused() {
    String phone = f.phone();
    MerchantOnboarding.Onboarded first = onboarding.onboard(form(phone, "Tea Stall"));
    MerchantOnboarding.Onboarded again = onboarding.onboard(form(phone, "Tea Stall"));
    assertThat(again.profile().merchant().id()).isEqualTo(first.profile().merchant().id());
    assertCode(() -> onboarding.onboard(form(phone, "Another Stall")), IdentityError.LOGIN_TAKEN);
    NewOnboarding otherPassword = new NewOnboarding("Tea Stall", "food", "Beijing", phone,
        "different-pw", "Wang Fang", "62220210010123");
    assertCode(() -> onboarding.onboard(otherPassword), IdentityError.LOGIN_TAKEN);
  }

  @Test
  void badFieldsAreRefusedWithTheirOwnErrorAndNothingIsCreated() {
    int before = count("identity_merchant");
    String p = f.phone();
    assertCode(() -> onboarding.onboard(new NewOnboarding("", "food", "Beijing", p, "pw-123456",
        "W", "62220210010123")), IdentityError.INVALID_NAME);
    assertCode(() -> onboarding.onboard(new NewOnboarding("A", "food", " ", p, "pw-123456",
        "W", "62220210010123")), IdentityError.INVALID_CITY);
    assertCode(() -> onboarding.onboard(new NewOnboarding("A", "food", "X", "12", "pw-123456",
        "W", "62220210010123")), IdentityError.INVALID_PHONE);
    assertCode(() -> onboarding.onboard(new NewOnboarding("A", "food", "X", p, "short",
        "W", "62220210010123")), IdentityError.INVALID_PASSWORD);
    assertCode(() -> onboarding.onboard(new NewOnboarding("A", "food", "X", p, "pw-123456",
        "W", "12ab5678")), IdentityError.INVALID_BANK_ACCOUNT);
    assertCode(() -> onboarding.onboard(new NewOnboarding("A", "food", "X", p, "pw-123456",
        "\u0007", "62220210010123")), IdentityError.INVALID_BANK_HOLDER);
    assertThat(count("identity_merchant")).isEqualTo(before);
  }

  @Test
  void fiveWrongPasswordsLockTheLoginForFifteenMinutes() {
    String phone = f.phone();
    onboarding.onboard(form(phone, "Locksmith"));
    for (int i = 0; i < MerchantStaff.ATTEMPTS_MAX; i++) {
      assertCode(() -> staff.login(phone, "wrong-password"), IdentityError.LOGIN_FAILED);
    }
    assertCode(() -> staff.login(phone, "noodles-2026"), IdentityError.LOGIN_LOCKED);
    clock.advance(MerchantStaff.LOCK_DURATION.plus(Duration.ofSeconds(1)));
    assertThat(staff.login(phone, "noodles-2026").login()).isEqualTo("+86" + phone);
    assertCode(() -> staff.login(f.phone(), "noodles-2026"), IdentityError.LOGIN_FAILED);
  }

  @Test
  void cashiersLogInToTheSameMerchant() {
    MerchantProfile p = onboarding.onboard(form(f.phone(), "Fruit")).profile();
    String cashierPhone = f.phone();
    StaffMember c = staff.addCashier(p.merchant().id(), cashierPhone, "cashier-pw");
    assertThat(staff.login(cashierPhone, "cashier-pw")).isEqualTo(c);
    assertThat(c.merchantId()).isEqualTo(p.merchant().id());
    assertCode(() -> staff.addCashier(p.merchant().id(), cashierPhone, "cashier-pw"),
        IdentityError.LOGIN_TAKEN);
  }

  @Test
  void operatorsRaiseLimitsAndLimitsAreValidated() {
    MerchantProfile p = onboarding.onboard(form(f.phone(), "Dumplings")).profile();
    MerchantLimits raised = new MerchantLimits(MerchantTier.STANDARD, 500_000, 5_000_000);
    f.merchants.setLimits(p.merchant().id(), raised);
    assertThat(f.merchants.limits(p.merchant().id())).isEqualTo(raised);
    f.merchants.setLimits(p.merchant().id(), MerchantLimits.NONE);
    assertThat(f.merchants.limits(p.merchant().id())).isEqualTo(MerchantLimits.NONE);
    assertCode(() -> new MerchantLimits(MerchantTier.MICRO, 200, 100), IdentityError.INVALID_LIMIT);
    assertCode(() -> new MerchantLimits(MerchantTier.MICRO, -1, 0), IdentityError.INVALID_LIMIT);
    assertCode(() -> f.merchants.setLimits(java.util.UUID.randomUUID(), raised),
        IdentityError.MERCHANT_NOT_FOUND);
  }

  @Test
  void searchFindsByNamePartAndStatusAndTreatsWildcardsLiterally() {
    MerchantProfile p = onboarding.onboard(form(f.phone(), "Zebra_100% Bakery")).profile();
    assertThat(f.merchants.search("zebra_100%", null, 10)).extracting(x -> x.merchant().id())
        .containsExactly(p.merchant().id());
    assertThat(f.merchants.search("zebra%", null, 10)).isEmpty();
    f.merchants.setStatus(p.merchant().id(), MerchantStatus.FROZEN);
    assertThat(f.merchants.search("bakery", MerchantStatus.FROZEN, 10))
        .extracting(x -> x.merchant().id()).contains(p.merchant().id());
    assertThat(f.merchants.search("bakery", MerchantStatus.ACTIVE, 10))
        .extracting(x -> x.merchant().id()).doesNotContain(p.merchant().id());
  }

  @Test
  void theAuditLogIsAppendOnlyInTheDatabase() {
    AuditEntry e = audit.append("operator", "merchant.freeze", "merchant:42", "reason: fraud");
    assertThat(audit.recent(10, null, "merchant:42")).containsExactly(e);
    assertThatThrownBy(() -> f.jdbi.useHandle(h -> h.execute(
        "UPDATE identity_audit_log SET detail = 'nothing happened'")))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> f.jdbi.useHandle(h -> h.execute("DELETE FROM identity_audit_log")))
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> f.jdbi.useHandle(h -> h.execute("TRUNCATE identity_audit_log")))
        .hasMessageContaining("append-only");
    assertThat(audit.recent(10, null, "merchant:42")).containsExactly(e);
    assertCode(() -> audit.append("", "x", "y", null), IdentityError.INVALID_AUDIT_ENTRY);
  }

  static int count(String table) {
    return f.jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table)
        .mapTo(Integer.class).one());
  }

  static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      IdentityError error) {
    assertThatThrownBy(call).isInstanceOfSatisfying(IdentityException.class,
        e -> assertThat(e.error()).isEqualTo(error));
  }
}
