package dev.hutong.ledger;

/** An account's balances right after the transfer with this timestamp (accounts with the HISTORY flag). */
public record AccountBalance(
    long timestamp, long debitsPending, long debitsPosted, long creditsPending, long creditsPosted) {}
