package dev.hutong.identity;

/**
 * Phone numbers, stored in E.164 form. A bare 11-digit Chinese mobile number (1[3-9]xxxxxxxxx)
 * gets +86; anything else must already be +<country code><number>, 8 to 15 digits in all.
 * Spaces and dashes between digits are ignored.
 */
public final class Phones {
  private Phones() {}

  /** The canonical form, or {@link IdentityError#INVALID_PHONE}. */
  public static String normalize(String raw) {
    if (raw == null || raw.length() > 32) {
      throw new IdentityException(IdentityError.INVALID_PHONE);
    }
    String s = raw.strip().replace(" ", "").replace("-", "");
    if (s.matches("1[3-9][0-9]{9}")) {
      return "+86" + s;
    }
    if (s.matches("\\+86[0-9]+")) {
      if (s.substring(3).matches("1[3-9][0-9]{9}")) {
        return s;
      }
      throw new IdentityException(IdentityError.INVALID_PHONE);
    }
    if (s.matches("\\+[1-9][0-9]{7,14}")) {
      return s;
    }
    throw new IdentityException(IdentityError.INVALID_PHONE);
  }
}
