package dev.hutong.miniapp.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relevance on a small corpus: exact names, prefixes, synonyms, categories, quality. */
class SearchIndexTest {
  @TempDir
  static Path dir;
  static SearchIndex index;

  static AppDocument app(String id, String name, String description, String category,
      List<String> keywords, double rating) {
    return new AppDocument(id, name, description, keywords, category, "Some Merchant",
        "Beijing", id + ".png", 100, 0.9, rating);
  }

  @BeforeAll
  static void build() {
    index = SearchIndex.open(dir);
    index.upsert(app("c1", "Golden Dragon Cinema", "Seat maps and showtimes", "movies",
        List.of("IMAX"), 4.0));
    index.upsert(app("c2", "Red Star Film Center", "Indie and classic screenings", "movies",
        List.of(), 4.5));
    index.upsert(app("c3", "Lotus Movie House", "Blockbusters every night", "movies",
        List.of("popcorn"), 3.0));
    index.upsert(app("c4", "万达影城", "在线选座购票", "movies", List.of(), 4.0));
    index.upsert(app("f1", "Golden Noodle House", "Hand-pulled noodles, order ahead", "food",
        List.of("noodles"), 4.2));
    index.upsert(app("f2", "Jade Dumpling Bar", "Dumplings and tea; book a table", "food",
        List.of("restaurant"), 3.9));
    index.upsert(app("r1", "Harbor Homes", "Apartments for rent with viewings", "real_estate",
        List.of("rental"), 4.1));
    index.upsert(app("t1", "Blue Sky Taxi", "Hail a ride to the airport", "transport",
        List.of(), 4.0));
    // Two apps with the same text, told apart only by their quality signals.
    index.upsert(new AppDocument("q-low", "Twin Bakery", "Bread and cakes", List.of(), "food",
        "Twin Co", "Shanghai", null, 10, 0.5, 2.0));
    index.upsert(new AppDocument("q-high", "Twin Bakery", "Bread and cakes", List.of(), "food",
        "Twin Co", "Shanghai", null, 50_000, 0.99, 4.9));
    index.refresh();
  }

  @AfterAll
  static void close() {
    index.close();
  }

  static List<String> ids(String text) {
    return ids(SearchQuery.of(text));
  }

  static List<String> ids(SearchQuery q) {
    return index.search(q).results().stream().map(SearchResult::appId).toList();
  }

  @Test
  void anExactNameComesFirst() {
    assertThat(ids("Golden Dragon Cinema")).first().isEqualTo("c1");
    assertThat(ids("golden noodle house")).first().isEqualTo("f1");
    assertThat(ids("Golden")).containsExactlyInAnyOrder("c1", "f1");
  }

  @Test
  void theWordBeingTypedMatchesAsAPrefix() {
    assertThat(ids("gold")).containsExactlyInAnyOrder("c1", "f1");
    assertThat(ids("golden dra")).containsExactly("c1");
    assertThat(ids("dump")).containsExactly("f2");
    assertThat(ids("harb")).contains("r1");
    // A finished word (followed by a space) is not a prefix any more.
    assertThat(ids("dump ")).isEmpty();
    assertThat(ids("x")).isEmpty();
  }

  @Test
  void cinemaMovieAndFilmFindTheSameApps() {
    List<String> cinema = ids("cinema ");
    assertThat(cinema).containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
    assertThat(ids("movie ")).containsExactlyInAnyOrderElementsOf(cinema);
    assertThat(ids("film ")).containsExactlyInAnyOrderElementsOf(cinema);
    assertThat(ids("movies ")).containsExactlyInAnyOrderElementsOf(cinema);
    assertThat(ids("电影")).containsExactlyInAnyOrderElementsOf(cinema);
    assertThat(ids("apartment ")).containsExactly("r1");
    assertThat(ids("eatery ")).contains("f2");
    assertThat(ids("cab ")).containsExactly("t1");
  }

  @Test
  void categoryFilterAndBrowsing() {
    assertThat(ids(SearchQuery.of("golden").inCategory("food"))).containsExactly("f1");
    assertThat(ids(SearchQuery.of("").inCategory("movies")))
        .containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
    assertThat(ids(SearchQuery.of("").inCategory("hotels"))).isEmpty();
    assertThat(index.search(SearchQuery.of("")).total()).isEqualTo(10);
  }

  @Test
  void qualityDecidesBetweenEqualTextMatches() {
    assertThat(ids("twin bakery")).containsExactly("q-high", "q-low");
    assertThat(ids("bread")).containsExactly("q-high", "q-low");
  }

  @Test
  void pagingAndTotal() {
    SearchResults first = index.search(SearchQuery.of("").page(1, 4));
    SearchResults third = index.search(SearchQuery.of("").page(3, 4));
    assertThat(first.total()).isEqualTo(10);
    assertThat(first.results()).hasSize(4);
    assertThat(third.results()).hasSize(2);
    assertThat(third.results()).doesNotContainAnyElementsOf(first.results());
    assertThatThrownBy(() -> index.search(SearchQuery.of("x").page(100, 50)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("narrow");
  }

  @Test
  void resultsHaveTheApiShape() throws Exception {
    SearchResults r = index.search(SearchQuery.of("Golden Dragon Cinema"));
    String json = new ObjectMapper().writeValueAsString(new SearchResults(r.results().subList(0,
        1), r.total()));
    assertThat(json).isEqualTo("{\"results\":[{\"app_id\":\"c1\",\"name\":\"Golden Dragon"
        + " Cinema\",\"description\":\"Seat maps and showtimes\",\"category\":\"movies\","
        + "\"icon\":\"c1.png\"}],\"total\":" + r.total() + "}");
  }

  @Test
  void upsertReplacesAndRemoveDeletes(@TempDir Path own) {
    try (SearchIndex i = SearchIndex.open(own)) {
      i.awaitVisible(i.upsert(app("a", "Panda Gym", "Classes", "fitness", List.of(), 4)));
      assertThat(i.search(SearchQuery.of("panda")).total()).isEqualTo(1);
      i.awaitVisible(i.upsert(app("a", "Panda Yoga Studio", "Classes", "fitness", List.of(), 4)));
      assertThat(i.search(SearchQuery.of("yoga")).results()).extracting(SearchResult::name)
          .containsExactly("Panda Yoga Studio");
      assertThat(i.size()).isEqualTo(1);
      i.awaitVisible(i.remove("a"));
      assertThat(i.search(SearchQuery.of("panda")).total()).isZero();
      i.commit();
    }
    try (SearchIndex reopened = SearchIndex.open(own)) {
      assertThat(reopened.size()).isZero();
    }
  }

  @Test
  void aRebuildRemovesOnlyWhatItDidNotWrite(@TempDir Path own) {
    try (SearchIndex i = SearchIndex.open(own)) {
      i.upsert(app("keep", "Maple Gym", "Classes", "fitness", List.of(), 4));
      i.upsert(app("gone", "Maple Spa", "Massage", "beauty", List.of(), 4));
      i.refresh();
      String rebuild = i.startRebuild();
      i.upsert(app("keep", "Maple Gym", "Classes", "fitness", List.of(), 4));
      i.refresh();
      assertThat(i.size()).isEqualTo(2);
      i.finishRebuild(rebuild);
      i.refresh();
      assertThat(i.search(SearchQuery.of("maple")).results()).extracting(SearchResult::appId)
          .containsExactly("keep");
    }
  }
}
