package dev.hutong.openapi;

import dev.hutong.openapi.gateway.PlatformKeys;
import dev.hutong.pay.AlipayTimes;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring links to a merchant's statement: what
 * {@code alipay.data.dataservice.bill.downloadurl.query} answers and the server's
 * {@code GET /bill/download} serves. The link carries merchant, bill type, period and expiry,
 * with an HMAC-SHA256 over them keyed by a secret derived from the platform key, so it needs no
 * storage and can not be altered; like Alipay's, it is valid for 30 seconds.
 */
public final class BillDownloads {
  public static final Duration TTL = Duration.ofSeconds(30);
  public static final String PATH = "/bill/download";

  private final byte[] secret;
  private final String publicBaseUrl;
  private final Clock clock;

  public BillDownloads(PlatformKeys keys, String publicBaseUrl, Clock clock) {
    this.secret = keys.derivedSecret("bill-download");
    this.publicBaseUrl = publicBaseUrl;
    this.clock = clock;
  }

  /** A statement a link names: a day (yyyy-MM-dd) or a month (yyyy-MM), GMT+8. */
  public record Bill(UUID merchantId, String billType, String billDate) {
    public boolean monthly() {
      return billDate.length() == 7;
    }

    public LocalDate day() {
      return LocalDate.parse(billDate);
    }

    public YearMonth month() {
      return YearMonth.parse(billDate);
    }
  }

  /**
   * Checks bill_type and bill_date as Alipay does: type "trade" or "signcustomer", date a past
   * day or month (GMT+8; today's and this month's bills do not exist yet). The message says what
   * is wrong.
   */
  public Optional<String> problem(String billType, String billDate) {
    if (!"trade".equals(billType) && !"signcustomer".equals(billType)) {
      return Optional.of("bill_type must be trade or signcustomer");
    }
    LocalDate today = clock.instant().atZone(AlipayTimes.ZONE).toLocalDate();
    try {
      if (billDate != null && billDate.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
        return LocalDate.parse(billDate).isBefore(today) ? Optional.empty()
            : Optional.of("the bill of " + billDate + " does not exist yet: only past days");
      }
      if (billDate != null && billDate.matches("[0-9]{4}-[0-9]{2}")) {
        return YearMonth.parse(billDate).isBefore(YearMonth.from(today)) ? Optional.empty()
            : Optional.of("the bill of " + billDate + " does not exist yet: only past months");
      }
    } catch (DateTimeParseException e) {
      return Optional.of("bill_date " + billDate + " is not a date");
    }
    return Optional.of("bill_date must be yyyy-MM-dd or yyyy-MM");
  }

  /** The link for a checked bill. */
  public String url(Bill bill) {
    long expires = clock.instant().plus(TTL).getEpochSecond();
    String payload = payload(bill.merchantId().toString(), bill.billType(), bill.billDate(), expires);
    return publicBaseUrl + PATH + "?merchant=" + bill.merchantId() + "&bill_type=" + bill.billType()
        + "&bill_date=" + bill.billDate() + "&expires=" + expires + "&sign=" + mac(payload);
  }

  /** The bill a link's query parameters name, if the signature holds and it has not expired. */
  public Optional<Bill> verify(Map<String, String> query) {
    String merchant = query.get("merchant");
    String type = query.get("bill_type");
    String date = query.get("bill_date");
    String expiresText = query.get("expires");
    String sign = query.get("sign");
    if (merchant == null || type == null || date == null || expiresText == null || sign == null
        || !expiresText.matches("[0-9]{1,12}") || merchant.length() > 36 || date.length() > 10
        || type.length() > 16) {
      return Optional.empty();
    }
    long expires = Long.parseLong(expiresText);
    byte[] expected = mac(payload(merchant, type, date, expires)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, sign.getBytes(StandardCharsets.US_ASCII))
        || clock.instant().isAfter(Instant.ofEpochSecond(expires))) {
      return Optional.empty();
    }
    return Optional.of(new Bill(UUID.fromString(merchant), type, date));
  }

  private static String payload(String merchant, String type, String date, long expires) {
    return merchant + "\n" + type + "\n" + date + "\n" + expires;
  }

  private String mac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
