package dev.hutong.pay;

import dev.hutong.identity.Merchant;
import dev.hutong.identity.Merchants;
import dev.hutong.identity.Tx;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A merchant's statement for one GMT+8 day (or month) as CSV (UTF-8, RFC 4180 quoting): every
 * payment, refund and payout in the period, each with its amount, fee and net effect on the
 * settlement balance, then a totals line. Payouts through a simulated channel say so in the
 * {@code note} column. Alipay's own bill is a zip of GBK CSVs; this is the same content plainly.
 */
public final class Statements {
  /** A statement reads at most this many lines; longer periods should be split by day. */
  public static final int LINES_MAX = 100_000;
  static final String HEADER =
      "type,time,trade_no,out_trade_no,out_request_no,subject,amount,fee,net,note";

  private final Jdbi jdbi;
  private final Merchants merchants;

  public Statements(Jdbi jdbi, Merchants merchants) {
    this.jdbi = jdbi;
    this.merchants = merchants;
  }

  /** The statement of one day. */
  public String day(UUID merchantId, LocalDate day) {
    return csv(merchantId, day.toString(), day.atStartOfDay(AlipayTimes.ZONE).toInstant(),
        day.plusDays(1).atStartOfDay(AlipayTimes.ZONE).toInstant());
  }

  /** The statement of one month. */
  public String month(UUID merchantId, YearMonth month) {
    return csv(merchantId, month.toString(),
        month.atDay(1).atStartOfDay(AlipayTimes.ZONE).toInstant(),
        month.plusMonths(1).atDay(1).atStartOfDay(AlipayTimes.ZONE).toInstant());
  }

  private record Line(Instant at, String type, String tradeNo, String outTradeNo, String outRequestNo,
      String subject, long amount, long fee, long net, String note) {}

  private String csv(UUID merchantId, String period, Instant from, Instant to) {
    Merchant m = merchants.get(merchantId);
    List<Line> lines = new ArrayList<>();
    Tx.read(jdbi, h -> {
      h.createQuery("SELECT * FROM pay_trade WHERE merchant_id = :m AND paid_at >= :from"
              + " AND paid_at < :to ORDER BY paid_at, trade_no LIMIT :n")
          .bind("m", Tx.uuid(merchantId)).bind("from", Tx.at(from)).bind("to", Tx.at(to))
          .bind("n", LINES_MAX)
          .map((rs, ctx) -> lines.add(new Line(Tx.instant(rs, "paid_at"), "PAYMENT",
              rs.getString("trade_no"), rs.getString("out_trade_no"), "", rs.getString("subject"),
              rs.getLong("total_amount"), rs.getLong("fee_amount"),
              rs.getLong("total_amount") - rs.getLong("fee_amount"), rs.getString("kind"))))
          .list();
      h.createQuery("SELECT r.*, t.out_trade_no, t.subject FROM pay_refund r JOIN pay_trade t"
              + " ON t.trade_no = r.trade_no WHERE t.merchant_id = :m AND r.status = 'SUCCESS'"
              + " AND r.refunded_at >= :from AND r.refunded_at < :to ORDER BY r.refunded_at LIMIT :n")
          .bind("m", Tx.uuid(merchantId)).bind("from", Tx.at(from)).bind("to", Tx.at(to))
          .bind("n", LINES_MAX)
          .map((rs, ctx) -> lines.add(new Line(Tx.instant(rs, "refunded_at"), "REFUND",
              rs.getString("trade_no"), rs.getString("out_trade_no"),
              rs.getString("out_request_no"), rs.getString("subject"), -rs.getLong("amount"),
              -rs.getLong("fee_refund"), -(rs.getLong("amount") - rs.getLong("fee_refund")),
              rs.getString("reason") == null ? "" : rs.getString("reason"))))
          .list();
      h.createQuery("SELECT * FROM identity_funding_operation WHERE kind = 'PAYOUT'"
              + " AND owner_id = :m AND status = 'SUCCESS' AND completed_at >= :from"
              + " AND completed_at < :to ORDER BY completed_at LIMIT :n")
          .bind("m", Tx.uuid(merchantId)).bind("from", Tx.at(from)).bind("to", Tx.at(to))
          .bind("n", LINES_MAX)
          .map((rs, ctx) -> lines.add(new Line(Tx.instant(rs, "completed_at"), "PAYOUT", "", "",
              rs.getString("request_id"), "payout to bank account", -rs.getLong("amount"), 0,
              -rs.getLong("amount"), rs.getBoolean("simulated")
                  ? "SIMULATED bank (" + rs.getString("channel") + "): no real money moved"
                  : rs.getString("channel"))))
          .list();
      return null;
    });
    lines.sort(java.util.Comparator.comparing(Line::at));
    return render(m, period, lines);
  }

  private static String render(Merchant m, String period, List<Line> lines) {
    StringBuilder out = new StringBuilder(128 + lines.size() * 96);
    out.append("# Hutong statement,").append(quote(m.name())).append(',').append(m.id())
        .append(',').append(period).append(",times GMT+8,amounts CNY\n");
    out.append(HEADER).append('\n');
    long amount = 0;
    long fee = 0;
    long net = 0;
    for (Line l : lines) {
      out.append(l.type()).append(',').append(AlipayTimes.format(l.at())).append(',')
          .append(quote(l.tradeNo())).append(',').append(quote(l.outTradeNo())).append(',')
          .append(quote(l.outRequestNo())).append(',').append(quote(l.subject())).append(',')
          .append(signed(l.amount())).append(',').append(signed(l.fee())).append(',')
          .append(signed(l.net())).append(',').append(quote(l.note())).append('\n');
      amount += l.amount();
      fee += l.fee();
      net += l.net();
    }
    out.append("TOTAL,,,,,").append(lines.size()).append(" lines,").append(signed(amount))
        .append(',').append(signed(fee)).append(',').append(signed(net)).append(",\n");
    return out.toString();
  }

  static String signed(long fen) {
    return fen < 0 ? "-" + Amounts.format(-fen) : Amounts.format(fen);
  }

  /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets never run it. */
  static String quote(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    String v = "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
