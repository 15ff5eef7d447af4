package dev.hutong.booking;

/** The three kinds of street business the templates serve. */
public enum VenueKind { CINEMA, RESTAURANT, PROPERTY }
