package dev.hutong.miniapp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Launch links: {@code /launch/<appId>?page=<page>&query=<launch query>}, relative or prefixed
 * with the platform's public base URL. The launch query is passed through as one encoded value;
 * the app reads it back from its launch options.
 */
public final class LaunchLinks {
  public static final int QUERY_CHARS_MAX = 1024;
  private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");

  private final String baseUrl;

  /** {@code baseUrl} like {@code http://127.0.0.1:8080}; empty for relative links. */
  public LaunchLinks(String baseUrl) {
    String b = baseUrl == null ? "" : baseUrl.strip();
    this.baseUrl = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  /** The link; {@code page} and {@code query} may be null or empty. */
  public String link(String appId, String page, String query) {
    if (appId == null || !appId.matches("[0-9a-z]([0-9a-z-]{0,61}[0-9a-z])?")) {
      throw Apps.invalid("not an app id: " + appId);
    }
    StringBuilder s = new StringBuilder(baseUrl).append("/launch/").append(appId);
    char sep = '?';
    if (page != null && !page.isEmpty()) {
      if (!PAGE.matcher(page).matches()) {
        throw Apps.invalid("page \"" + page + "\" is not a page path like pages/index/index");
      }
      s.append(sep).append("page=").append(encode(page));
      sep = '&';
    }
    if (query != null && !query.isEmpty()) {
      if (query.length() > QUERY_CHARS_MAX) {
        throw Apps.invalid("the launch query is longer than " + QUERY_CHARS_MAX + " characters");
      }
      s.append(sep).append("query=").append(encode(query));
    }
    return s.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("%2F", "/");
  }
}
