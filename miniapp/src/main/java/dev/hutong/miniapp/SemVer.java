package dev.hutong.miniapp;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mini-program version number, {@code MAJOR.MINOR.PATCH} (no pre-release or build suffix: the
 * lifecycle's trial and gray stages take their place). Each part is at most {@link #PART_MAX}.
 */
public record SemVer(int major, int minor, int patch) implements Comparable<SemVer> {
  public static final int PART_MAX = 999_999;
  private static final Pattern FORM = Pattern.compile("(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})"
      + "\\.(0|[1-9][0-9]{0,5})");

  public SemVer {
    if (major < 0 || minor < 0 || patch < 0 || major > PART_MAX || minor > PART_MAX
        || patch > PART_MAX) {
      throw new MiniappException(MiniappError.VERSION_NUMBER_INVALID,
          "version parts are 0.." + PART_MAX);
    }
  }

  /** Parses {@code X.Y.Z}; anything else is {@link MiniappError#VERSION_NUMBER_INVALID}. */
  public static SemVer parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new MiniappException(MiniappError.VERSION_NUMBER_INVALID, "version \"" + text
          + "\" is not of the form X.Y.Z (numbers without leading zeros, e.g. 1.0.3)");
    }
    return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)));
  }

  @Override
  public int compareTo(SemVer o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
