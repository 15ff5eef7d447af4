package dev.hutong.miniapp;

/** One reason a review rejected a version: the file, the rule it breaks, and what to change. */
public record Finding(String file, String rule, String reason) {}
