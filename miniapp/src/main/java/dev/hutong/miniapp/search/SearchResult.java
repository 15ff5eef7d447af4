package dev.hutong.miniapp.search;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One app in the results, as {@code GET /api/search} returns it. */
public record SearchResult(@JsonProperty("app_id") String appId, String name, String description,
    String category, String icon) {}
