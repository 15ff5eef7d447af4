package dev.hutong.pay;

import java.time.LocalDate;

/** What one T+1 sweep of {@code businessDay} did: merchants paid out, their total, skipped ones. */
public record SweepReport(LocalDate businessDay, int paidOut, long totalFen, int alreadySwept,
    int failed) {}
