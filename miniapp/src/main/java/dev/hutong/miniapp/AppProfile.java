package dev.hutong.miniapp;

import java.util.List;

/**
 * What users see of an app and what discovery indexes: name, description, category (one of
 * {@link Categories}), search keywords, city, and the icon (a path inside its packages or an
 * https URL).
 */
public record AppProfile(String name, String description, String category,
    List<String> keywords, String city, String iconPath) {}
