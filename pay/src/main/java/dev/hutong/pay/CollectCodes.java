package dev.hutong.pay;

import dev.hutong.identity.Merchants;
import dev.hutong.identity.Tx;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * A street merchant's static collect-money code: one per merchant, printed and stuck on the
 * counter; the buyer scans it, enters the amount and confirms with the PIN
 * ({@link Cashier#payCollectCode}). Form: {@code <publicBaseUrl>/c/<24 chars of [0-9a-z]>}.
 */
public final class CollectCodes {
  static final int TOKEN_CHARS = 24;
  private static final Pattern CODE = Pattern.compile("(?:.*/c/)?([0-9a-z]{24})");

  private final Jdbi jdbi;
  private final Merchants merchants;
  private final PaySettings settings;
  private final Clock clock;

  public CollectCodes(Jdbi jdbi, Merchants merchants, PaySettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.merchants = merchants;
    this.settings = settings;
    this.clock = clock;
  }

  /** The merchant's code, created on first use (the same one afterwards). */
  public String codeFor(UUID merchantId) {
    merchants.get(merchantId);
    String candidate = Tokens.lower36(TOKEN_CHARS);
    Tx.run(jdbi, h -> h.createUpdate("INSERT INTO pay_collect_code (token, merchant_id, created_at)"
            + " VALUES (:token, :m, :now) ON CONFLICT DO NOTHING")
        .bind("token", candidate).bind("m", Tx.uuid(merchantId))
        .bind("now", Tx.at(clock.instant())).execute());
    String token = Tx.read(jdbi, h -> h.createQuery(
            "SELECT token FROM pay_collect_code WHERE merchant_id = :m")
        .bind("m", Tx.uuid(merchantId)).mapTo(String.class).one());
    return settings.publicBaseUrl() + "/c/" + token;
  }

  /** The merchant behind a code (the full URL or the bare token). */
  public Optional<UUID> merchantFor(String code) {
    if (code == null || code.length() > 512) {
      return Optional.empty();
    }
    Matcher m = CODE.matcher(code.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Tx.read(jdbi, h -> h.createQuery("SELECT merchant_id FROM pay_collect_code WHERE token = :t")
        .bind("t", m.group(1)).map((rs, ctx) -> Tx.uuid(rs, "merchant_id")).findOne());
  }
}
