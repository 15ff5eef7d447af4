package dev.hutong.miniapp.search;

import java.util.List;

/**
 * What discovery indexes of an online app: its text (name, description, keywords, category slug,
 * merchant name, city), its icon for results, and its quality signals (opens, payment success
 * rate 0..1, average rating 0..5, 0 when unrated).
 */
public record AppDocument(String appId, String name, String description, List<String> keywords,
    String category, String merchantName, String city, String icon, long opens,
    double paySuccessRate, double rating) {}
