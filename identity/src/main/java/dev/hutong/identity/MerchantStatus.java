package dev.hutong.identity;

/** FROZEN merchants can not take new payments; refunds of past trades still work. */
public enum MerchantStatus { ACTIVE, FROZEN }
