package dev.hutong.server;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown to a person: never with the password. */
public final class JdbcUrls {
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");
  /** {@code user:secret@host}: PgJDBC does not read it, but people write it, so hide it too. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^:/@?]+:)[^@/?]*@");

  private JdbcUrls() {}

  /** The URL with every password (parameter or user-info) replaced by asterisks. */
  public static String maskPassword(String url) {
    String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1****");
    return USER_INFO.matcher(masked).replaceAll("$1****@");
  }
}
