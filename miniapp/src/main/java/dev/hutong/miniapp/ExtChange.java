package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One top-level ext field of an instance version that differs from the version before it:
 * {@code before} is null for an added field, {@code after} null for a removed one.
 */
public record ExtChange(String field, JsonNode before, JsonNode after) {}
