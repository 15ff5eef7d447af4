package dev.hutong.booking;

import java.util.UUID;

/**
 * A business that takes bookings through one mini-program (its {@code appId}, which is also the
 * app its trades are made for).
 *
 * @param cancelFreeHours cancelling a paid booking at least this many hours before it starts is
 *     free; later, {@code cancelFeePercent} of the amount is kept
 * @param holdMinutes how long a hold waits for payment (its trade's timeout_express)
 * @param prepayPerPerson restaurants: fen charged per guest when booking (0: no prepayment)
 * @param daysAhead restaurants: how far ahead a table may be booked
 * @param depositDays property: how long a holding deposit may stay in escrow before it is voided
 */
public record Venue(UUID id, String appId, UUID merchantId, VenueKind kind, String name,
    int cancelFreeHours, int cancelFeePercent, int holdMinutes, long prepayPerPerson,
    int partyMin, int partyMax, int daysAhead, int depositDays) {

  /** What a cancellation at {@code hoursBefore} hours before the start keeps of {@code amount}. */
  public long cancellationFee(long amount, long hoursBefore) {
    if (hoursBefore >= cancelFreeHours) {
      return 0;
    }
    return amount * cancelFeePercent / 100;
  }

  void validate() {
    Check.text("app_id", appId, 64);
    Check.text("name", name, 64);
    if (merchantId == null || kind == null) {
      throw BookingException.invalid("merchant and kind are required");
    }
    Check.range("cancel_free_hours", cancelFreeHours, 0, 720);
    Check.range("cancel_fee_percent", cancelFeePercent, 0, 100);
    Check.range("hold_minutes", holdMinutes, 1, 60);
    Check.range("prepay_per_person", prepayPerPerson, 0, 1_000_000);
    Check.range("party_min", partyMin, 1, 50);
    Check.range("party_max", partyMax, partyMin, 50);
    Check.range("days_ahead", daysAhead, 1, 90);
    Check.range("deposit_days", depositDays, 1, 90);
  }
}
