package dev.hutong.identity;

/**
 * A merchant with what onboarding added: city, contact phone (E.164), tier and limits, and the
 * settlement bank account (null until one is set).
 */
public record MerchantProfile(Merchant merchant, String city, String contactPhone,
    MerchantLimits limits, BankAccount bankAccount) {}
