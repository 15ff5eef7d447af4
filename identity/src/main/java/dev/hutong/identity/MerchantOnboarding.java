package dev.hutong.identity;

import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A street merchant's self-onboarding: one form (business name, category, city, phone, password,
 * bank account) makes an ACTIVE micro-merchant ({@link MerchantLimits#MICRO}) with its settlement
 * account, its owner login and its bank account at the platform's funding channel — ready to show
 * its collect-money code at once.
 *
 * <p>Idempotent for the applicant: repeating the same form (same phone, password and business
 * name, e.g. after a lost answer) returns the merchant made the first time; the same phone with
 * anything else is {@link IdentityError#LOGIN_TAKEN}.
 */
public final class MerchantOnboarding {
  private static final int CITY_CHARS_MAX = 64;

  private final Jdbi jdbi;
  private final Wallets wallets;
  private final Merchants merchants;
  private final MerchantStaff staff;
  private final FundingChannel channel;
  private final FeeRate microFeeRate;
  private final Clock clock;

  public MerchantOnboarding(Jdbi jdbi, Wallets wallets, Merchants merchants, MerchantStaff staff,
      FundingChannel channel, FeeRate microFeeRate, Clock clock) {
    this.jdbi = jdbi;
    this.wallets = wallets;
    this.merchants = merchants;
    this.staff = staff;
    this.channel = channel;
    this.microFeeRate = microFeeRate;
    this.clock = clock;
  }

  /** Onboards the merchant; returns its profile and the owner's login. */
  public Onboarded onboard(NewOnboarding form) {
    String name = Merchants.validName(form.businessName());
    String category = Merchants.validCategory(form.category());
    String city = Users.validText(form.city(), CITY_CHARS_MAX, IdentityError.INVALID_CITY);
    String phone = Phones.normalize(form.phone());
    Users.validPassword(form.password());
    String holder = Users.validText(form.bankHolder(), 128, IdentityError.INVALID_BANK_HOLDER);
    String accountNo = BankAccount.validNumber(form.bankAccountNo());
    Optional<Onboarded> again = repeated(phone, form.password(), name);
    if (again.isPresent()) {
      return again.get();
    }
    UUID id = Ids.next();
    UUID accountId = Ids.next();
    Instant now = clock.instant();
    // The ledger account first: a crash after it leaves an empty orphan account, never a merchant
    // without one.
    wallets.createMerchantSettlement(accountId, id);
    Merchant m = new Merchant(id, name, category, microFeeRate, MerchantStatus.ACTIVE, accountId, now);
    StaffMember owner = Tx.run(jdbi, h -> {
      Merchants.insert(h, m, MerchantLimits.MICRO);
      h.createUpdate("UPDATE identity_merchant SET city = :city, contact_phone = :phone,"
              + " bank_holder = :holder, bank_account_no = :no, bank_channel = :channel"
              + " WHERE id = :id")
          .bind("city", city).bind("phone", phone).bind("holder", holder).bind("no", accountNo)
          .bind("channel", channel.name()).bind("id", Tx.uuid(id)).execute();
      return staff.insert(h, id, phone, form.password(), StaffMember.Role.OWNER);
    });
    return new Onboarded(merchants.profile(id).orElseThrow(), owner);
  }

  private Optional<Onboarded> repeated(String phone, String password, String name) {
    return Tx.read(jdbi, h -> staff.byLogin(h, phone).map(s -> {
      MerchantProfile p = merchants.profile(s.merchantId()).orElseThrow();
      if (s.role() != StaffMember.Role.OWNER || !p.merchant().name().equals(name)
          || !staff.matches(h, phone, password)) {
        throw new IdentityException(IdentityError.LOGIN_TAKEN);
      }
      return new Onboarded(p, s);
    }));
  }

  /** What onboarding made. */
  public record Onboarded(MerchantProfile profile, StaffMember owner) {}
}
