package dev.hutong.booking;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The read models the apps and the merchant screens show. Amounts in fen. */
public final class Inventory {
  private Inventory() {}

  /** A showtime with how many seats are still free. */
  public record Showtime(UUID id, String film, int minutes, Instant startsAt, String hall,
      Map<String, Long> prices, int seats, int free) {}

  /** One seat of a showtime's map; {@code unitId} is what a hold names. */
  public record Seat(UUID unitId, String label, int row, int col, String seatClass, long priceFen,
      boolean taken) {}

  /** A hall's seat map: {@code layout} rows as strings ('_' is an aisle), seats row by row. */
  public record SeatMap(Showtime showtime, List<String> layout, Map<String, String> classes,
      List<Seat> seats) {}

  /** A restaurant time slot and how many tables that fit the party are free. */
  public record TableSlot(Instant startsAt, int minutes, int freeTables) {}

  public record Listing(UUID id, String title, String address, String district, String deal,
      long priceFen, int areaM2, int bedrooms, List<String> features, List<String> photos,
      long depositFen, boolean depositTaken, boolean withdrawn) {}

  public record ViewingSlot(UUID unitId, String agent, Instant startsAt, int minutes,
      boolean taken) {}

  /** Listing search: every field optional (null). */
  public record ListingFilter(String text, String district, String deal, Long priceMaxFen,
      Integer bedroomsMin) {}
}
