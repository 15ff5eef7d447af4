package dev.hutong.identity;

/**
 * MICRO: a self-onboarded street merchant, limited per payment and per GMT+8 day
 * ({@link MerchantLimits#MICRO}) until an operator raises the limits; STANDARD: limits set by an
 * operator (or none).
 */
public enum MerchantTier { MICRO, STANDARD }
