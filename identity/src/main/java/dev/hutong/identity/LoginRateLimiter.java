package dev.hutong.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits password guessing: at most {@code perPhoneMax} failed logins per phone number and
 * {@code perAddressMax} attempts per client address in a fixed window. Checked BEFORE the password
 * is verified, so a refused attempt costs no bcrypt and reveals nothing.
 *
 * <p>Memory is bounded: each of the two tables keeps at most {@code keysMax} keys, dropping the
 * least recently used. Dropping a key forgets its count; an attacker who floods the table with new
 * phone numbers to evict one is still held by the per-address limit. Counts live in memory only:
 * a restart forgets them, and several servers each count on their own (documented in
 * docs/shell.md).
 */
public final class LoginRateLimiter {
  public static final int PER_PHONE_MAX_DEFAULT = 5;
  public static final int PER_ADDRESS_MAX_DEFAULT = 20;
  public static final Duration WINDOW_DEFAULT = Duration.ofMinutes(15);
  public static final int KEYS_MAX_DEFAULT = 100_000;

  /** Why an attempt was refused, and when to try again. */
  public record Refusal(String reason, Instant retryAt) {}

  private static final class Window {
    Instant start;
    int count;

    Window(Instant start) {
      this.start = start;
    }
  }

  private final Clock clock;
  private final int perPhoneMax;
  private final int perAddressMax;
  private final Duration window;
  private final Map<String, Window> phones;
  private final Map<String, Window> addresses;

  public LoginRateLimiter(Clock clock, int perPhoneMax, int perAddressMax, Duration window,
      int keysMax) {
    if (perPhoneMax < 1 || perAddressMax < 1 || keysMax < 1 || window.isNegative()
        || window.isZero()) {
      throw new IllegalArgumentException("limits, keys and window must be positive");
    }
    this.clock = clock;
    this.perPhoneMax = perPhoneMax;
    this.perAddressMax = perAddressMax;
    this.window = window;
    this.phones = lru(keysMax);
    this.addresses = lru(keysMax);
  }

  public static LoginRateLimiter withDefaults(Clock clock) {
    return new LoginRateLimiter(clock, PER_PHONE_MAX_DEFAULT, PER_ADDRESS_MAX_DEFAULT,
        WINDOW_DEFAULT, KEYS_MAX_DEFAULT);
  }

  /**
   * Counts an attempt from {@code address} and answers whether it may go ahead: null when it
   * may, else why not. {@code phone} is the text the client sent (normalised when it parses).
   */
  public synchronized Refusal tryAcquire(String phone, String address) {
    Instant now = clock.instant();
    Window byPhone = current(phones, phoneKey(phone), now);
    if (byPhone.count >= perPhoneMax) {
      return new Refusal("too many failed logins for this phone number",
          byPhone.start.plus(window));
    }
    Window byAddress = current(addresses, address == null ? "?" : address, now);
    if (byAddress.count >= perAddressMax) {
      return new Refusal("too many login attempts from this address",
          byAddress.start.plus(window));
    }
    byAddress.count++;
    return null;
  }

  /** A wrong password for {@code phone}: counts towards the phone's limit. */
  public synchronized void failed(String phone) {
    current(phones, phoneKey(phone), clock.instant()).count++;
  }

  /** A right password: the phone's failures are forgotten. */
  public synchronized void succeeded(String phone) {
    phones.remove(phoneKey(phone));
  }

  private Window current(Map<String, Window> table, String key, Instant now) {
    Window w = table.get(key);
    if (w == null || !now.isBefore(w.start.plus(window))) {
      w = new Window(now);
      table.put(key, w);
    }
    return w;
  }

  private static String phoneKey(String phone) {
    if (phone == null) {
      return "";
    }
    try {
      return Phones.normalize(phone);
    } catch (IdentityException e) {
      // Not a phone number: count it under a bounded form of itself.
      return phone.length() > 32 ? phone.substring(0, 32) : phone;
    }
  }

  private static Map<String, Window> lru(int keysMax) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
        return size() > keysMax;
      }
    };
  }
}
