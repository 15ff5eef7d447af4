package dev.hutong.identity;

/** FROZEN users can log in and see their wallet but can neither pay nor top up. */
public enum UserStatus { ACTIVE, FROZEN }
