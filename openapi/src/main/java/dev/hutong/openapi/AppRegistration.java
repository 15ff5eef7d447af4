package dev.hutong.openapi;

/** TEMPORARY STUB. */
public record AppRegistration(String appId, String platformPublicKey) {}
