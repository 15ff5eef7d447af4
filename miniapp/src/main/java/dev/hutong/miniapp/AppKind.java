package dev.hutong.miniapp;

/** An ordinary app, a template, or a merchant's instance of a template. */
public enum AppKind {
  APP, TEMPLATE, INSTANCE
}
