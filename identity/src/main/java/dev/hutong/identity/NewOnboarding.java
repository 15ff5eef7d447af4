package dev.hutong.identity;

/**
 * What a street merchant fills in to start taking payments: the business (name, category, city),
 * a contact phone that is also the owner's portal login, a password, and the settlement bank
 * account (holder and number) payouts go to.
 */
public record NewOnboarding(String businessName, String category, String city, String phone,
    String password, String bankHolder, String bankAccountNo) {}
