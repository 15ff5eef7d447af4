package dev.hutong.booking;

import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Units this process knows to be claimed, and by which request, so that the refused attempts of a
 * rush (thousands of taps on a few hundred seats) are answered without a database round trip.
 *
 * <p>It only ever refuses: a unit absent from here is looked up in the database as before, and the
 * claim's primary key stays the only arbiter of who gets a unit. What must never happen is a
 * "taken" that outlives its release, so:
 *
 * <ul>
 *   <li>units are learned only from this process's own committed claims ({@link #remember});
 *   <li>every release calls {@link #forget} <em>after</em> its transaction commits, which bumps
 *       the generation; a claim that raced a release (its generation, read before its transaction,
 *       is no longer current) is not remembered — losing a hint only costs a database read.
 * </ul>
 *
 * <p>This relies on one server process owning the booking tables, which the hold recovery at start
 * ({@link Reservations#sweep} with {@code atStart}) already assumes. Bounded: when full it starts
 * again empty, which is always safe.
 */
final class TakenSeats {
  static final int MAX = 200_000;

  /** Who holds a unit: a retry of that very request must reach the database (idempotency). */
  private record Claim(UUID venueId, UUID userId, String requestId) {}

  private final ConcurrentHashMap<UUID, Claim> claims = new ConcurrentHashMap<>();
  private long generation; // guarded by this

  /** Read before the claiming transaction starts; passed back to {@link #remember}. */
  synchronized long generation() {
    return generation;
  }

  /** The committed claim of {@code units} by this request, unless a release came in between. */
  synchronized void remember(long seenGeneration, UUID venueId, UUID[] units, UUID userId,
      String requestId) {
    if (seenGeneration != generation) {
      return;
    }
    if (claims.size() + units.length > MAX) {
      claims.clear();
    }
    Claim claim = new Claim(venueId, userId, requestId);
    for (UUID unit : units) {
      claims.put(unit, claim);
    }
  }

  /** Called after a release committed: these units may be claimed again. */
  synchronized void forget(Collection<UUID> units) {
    generation++;
    units.forEach(claims::remove);
  }

  /**
   * True when one of the units of this venue is known to be claimed by another request than this
   * one (same user and request id: a retry, which the database answers with its reservation).
   */
  boolean takenByOther(UUID venueId, UUID[] units, UUID userId, String requestId) {
    for (UUID unit : units) {
      Claim c = claims.get(unit);
      if (c != null && c.venueId().equals(venueId)
          && !(c.userId().equals(userId) && c.requestId().equals(requestId))) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return claims.size();
  }
}
