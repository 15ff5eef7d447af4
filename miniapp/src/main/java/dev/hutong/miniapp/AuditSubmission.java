package dev.hutong.miniapp;

import java.util.List;

/** What a developer submits for review: what the version does, its category, screenshots. */
public record AuditSubmission(String description, String category, List<String> screenshots) {}
