package dev.hutong.pay;

/** The precreated trade and its qr_code (see {@link PaySettings#publicBaseUrl()}). */
public record PrecreateResult(Trade trade, String qrCode) {}
