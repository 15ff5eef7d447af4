package dev.hutong.miniapp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A template merchants may build an instance from: the template app's profile and its newest
 * version that passed review and is still usable, with that version's ext JSON Schema.
 */
public record TemplateOffer(String appId, AppProfile profile, SemVer version, JsonNode extSchema) {}
