package dev.hutong.identity;

/** What creating a merchant takes. Category may be null ("general"). */
public record NewMerchant(String name, String category, FeeRate feeRate) {}
