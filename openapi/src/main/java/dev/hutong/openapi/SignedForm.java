package dev.hutong.openapi;

/** TEMPORARY STUB. */
public record SignedForm(String contentType, byte[] body) {}
