package dev.hutong.miniapp.search;

import java.util.List;

/** A page of results and how many apps match in all: {@code {"results":[...],"total":N}}. */
public record SearchResults(List<SearchResult> results, long total) {
  public static final SearchResults EMPTY = new SearchResults(List.of(), 0);
}
