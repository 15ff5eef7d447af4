package dev.hutong.identity;

import dev.hutong.ledger.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The operators' audit log: every action an operator takes (freeze, limits, risk rules, reviews)
 * is appended here. Append-only is enforced by the database (a trigger refuses UPDATE, DELETE and
 * TRUNCATE), not by this class, so no code path can rewrite it.
 */
public final class AuditLog {
  private static final int TEXT_MAX = 200;
  private static final int DETAIL_MAX = 4000;
  public static final int PAGE_MAX = 500;

  private final Jdbi jdbi;
  private final Clock clock;

  public AuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Appends an entry in its own transaction. */
  public AuditEntry append(String actor, String action, String target, String detail) {
    return Tx.run(jdbi, h -> append(h, actor, action, target, detail));
  }

  /** Appends an entry inside the caller's transaction, so the action and its entry commit together. */
  public AuditEntry append(Handle h, String actor, String action, String target, String detail) {
    AuditEntry e = new AuditEntry(Ids.next(), clock.instant(), check(actor, TEXT_MAX),
        check(action, TEXT_MAX), check(target, TEXT_MAX),
        detail == null || detail.isEmpty() ? "" : check(detail, DETAIL_MAX));
    h.createUpdate("INSERT INTO identity_audit_log (id, at, actor, action, target, detail)"
            + " VALUES (:id, :at, :actor, :action, :target, :detail)")
        .bind("id", Tx.uuid(e.id())).bind("at", Tx.at(e.at())).bind("actor", e.actor())
        .bind("action", e.action()).bind("target", e.target()).bind("detail", e.detail()).execute();
    return e;
  }

  /** The newest entries first, older than {@code before} when given; {@code target} filters. */
  public List<AuditEntry> recent(int limit, Instant before, String target) {
    int n = Math.max(1, Math.min(limit, PAGE_MAX));
    return Tx.read(jdbi, h -> h.createQuery("SELECT * FROM identity_audit_log"
            + " WHERE (CAST(:before AS timestamptz) IS NULL OR at < :before)"
            + " AND (CAST(:target AS text) IS NULL OR target = :target)"
            + " ORDER BY at DESC, id DESC LIMIT :n")
        .bind("before", Tx.at(before)).bind("target", target).bind("n", n)
        .map((rs, ctx) -> new AuditEntry(Tx.uuid(rs, "id"), Tx.instant(rs, "at"),
            rs.getString("actor"), rs.getString("action"), rs.getString("target"),
            rs.getString("detail")))
        .list());
  }

  private static String check(String text, int max) {
    if (text == null || text.isBlank() || text.length() > max) {
      throw new IdentityException(IdentityError.INVALID_AUDIT_ENTRY);
    }
    return text;
  }
}
