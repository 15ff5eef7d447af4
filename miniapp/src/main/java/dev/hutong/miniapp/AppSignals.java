package dev.hutong.miniapp;

/**
 * Quality signals for ranking: how often the app is opened, the share of its payments that
 * succeed (0..1), and its average rating (0 when unrated, else 1..5).
 */
public record AppSignals(long opens, double paySuccessRate, double rating) {
  public static final AppSignals NONE = new AppSignals(0, 0, 0);
}
