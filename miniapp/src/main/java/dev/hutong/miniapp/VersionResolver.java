package dev.hutong.miniapp;

import dev.hutong.identity.Tx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Which version of an app a user is served: a named tester gets the TRIAL version, a user whose
 * gray bucket is under the GRAY version's percentage gets that, everyone else the ONLINE version.
 * Empty when the user gets nothing (no online version and not a tester or gray user).
 *
 * <p>The gray bucket is a stable hash of (app, user): the same user always gets the same answer
 * for a given percentage, widening only adds users, and different apps pick different users.
 */
public final class VersionResolver {
  /** Buckets per percent: a user's bucket is 0..9999, in gray when below percent × 100. */
  static final int BUCKETS = 10_000;

  private final Jdbi jdbi;

  public VersionResolver(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  private record Candidate(SemVer version, VersionState state, int grayPercent, boolean tester) {}

  public Optional<ResolvedVersion> versionFor(String appId, UUID userId) {
    var candidates = Tx.read(jdbi, h -> h.createQuery("SELECT v.version, v.state, v.gray_percent,"
            + " EXISTS (SELECT 1 FROM miniapp_version_tester t WHERE t.app_id = v.app_id AND"
            + " t.version = v.version AND t.user_id = :u) AS tester FROM miniapp_version v"
            + " WHERE v.app_id = :a AND v.state IN ('TRIAL', 'GRAY', 'ONLINE')")
        .bind("a", appId).bind("u", Tx.uuid(userId))
        .map((rs, ctx) -> new Candidate(SemVer.parse(rs.getString("version")),
            VersionState.valueOf(rs.getString("state")), rs.getInt("gray_percent"),
            rs.getBoolean("tester")))
        .list());
    Candidate online = null;
    Candidate gray = null;
    for (Candidate c : candidates) {
      if (c.state() == VersionState.TRIAL && c.tester() && userId != null) {
        return Optional.of(new ResolvedVersion(appId, c.version(), EnvVersion.TRIAL));
      }
      if (c.state() == VersionState.GRAY) {
        gray = c;
      } else if (c.state() == VersionState.ONLINE) {
        online = c;
      }
    }
    if (gray != null && userId != null && inGray(appId, userId, gray.grayPercent())) {
      return Optional.of(new ResolvedVersion(appId, gray.version(), EnvVersion.RELEASE));
    }
    return Optional.ofNullable(online)
        .map(c -> new ResolvedVersion(appId, c.version(), EnvVersion.RELEASE));
  }

  /** A develop preview of any version (the developer's own QR code or `hutong miniapp dev`). */
  public ResolvedVersion preview(String appId, SemVer version) {
    return new ResolvedVersion(appId, version, EnvVersion.DEVELOP);
  }

  /** Whether a user falls in a gray release of {@code percent} percent of an app. */
  public static boolean inGray(String appId, UUID userId, int percent) {
    return grayBucket(appId, userId) < percent * (BUCKETS / 100);
  }

  /** The user's bucket for this app, 0..9999: the first 8 bytes of SHA-256(appId NUL userId). */
  public static int grayBucket(String appId, UUID userId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(appId.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(ByteBuffer.allocate(16).putLong(userId.getMostSignificantBits())
          .putLong(userId.getLeastSignificantBits()).array());
      long h = ByteBuffer.wrap(sha.digest()).getLong();
      return (int) Long.remainderUnsigned(h, BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
