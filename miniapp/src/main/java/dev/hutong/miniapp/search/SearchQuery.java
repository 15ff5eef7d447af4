package dev.hutong.miniapp.search;

/**
 * A search: free text (the last word is also matched as a prefix unless the text ends with a
 * space, for search-as-you-type), an optional category slug, and a 1-based page of
 * {@code pageSize} results. Blank text lists the best apps (of the category, if given).
 */
public record SearchQuery(String text, String category, int page, int pageSize) {
  public static final int TEXT_CHARS_MAX = 200;
  public static final int PAGE_SIZE_MAX = 50;
  /** How deep paging goes: page × pageSize. Deeper than this, the user should narrow the search. */
  public static final int DEPTH_MAX = 1000;
  public static final int DEFAULT_PAGE_SIZE = 20;

  public static SearchQuery of(String text) {
    return new SearchQuery(text, null, 1, DEFAULT_PAGE_SIZE);
  }

  public SearchQuery inCategory(String slug) {
    return new SearchQuery(text, slug, page, pageSize);
  }

  public SearchQuery page(int number, int size) {
    return new SearchQuery(text, category, number, size);
  }
}
