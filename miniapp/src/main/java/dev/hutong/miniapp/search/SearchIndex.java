package dev.hutong.miniapp.search;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryRescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * The discovery index of online apps: Lucene on disk, near-real-time. Changes become visible
 * within {@link #STALE_SECONDS_MAX} (a reopen thread refreshes the searcher; {@link
 * #awaitVisible} waits for one change). The index is a cache of the database: it can be rebuilt
 * from the online apps at any time ({@code Discovery.reindexAll}).
 *
 * <p>Ranking, in two passes so that latency does not grow with the number of matches:
 *
 * <ol>
 *   <li>Every app that matches (all words, with synonyms; the last word also as a prefix) is a
 *       candidate; the {@value #RERANK_WINDOW} best by quality (a {@link FeatureField} made from
 *       opens, payment success and rating), plus any app whose name is exactly the query, go on.
 *       The index is sorted by quality, best first, so the per-block maximum of the feature falls
 *       block by block and block-max WAND skips whole blocks once nothing left can compete: a
 *       one-word query matching 150,000 apps costs about as much as one matching 150.
 *   <li>Those candidates are re-scored: BM25 over all the app's text, plus matches in the name,
 *       plus an exact name, plus quality, so among apps that match about as well the better ones
 *       come first, and a precise query still puts the precise match on top.
 * </ol>
 *
 * When fewer apps match than the window, every match is ranked by the full score. The raw
 * signals are also kept as doc values for sorting and inspection.
 */
public final class SearchIndex implements Closeable {
  static final String ID = "id";
  /** Which rebuild wrote the document; a rebuild ends by deleting the other epochs' documents. */
  static final String EPOCH = "epoch";
  static final String NAME = "name";
  static final String NAME_EXACT = "name_exact";
  static final String ALL = "all";
  static final String PREFIX = "prefix";
  static final String CATEGORY = "category";
  static final String DESCRIPTION = "description";
  static final String ICON = "icon";
  static final String FEATURES = "features";
  static final String QUALITY = "quality";
  static final String OPENS = "opens";
  static final String PAY_SUCCESS_PPM = "pay_success_ppm";
  static final String RATING_X100 = "rating_x100";
  /** Quality × 10^6, the index's sort order (best first). */
  static final String QUALITY_RANK = "quality_rank";

  public static final double STALE_SECONDS_MAX = 1.0;
  static final double STALE_SECONDS_MIN = 0.02;
  /** How many matches are counted exactly while collecting; beyond, a separate count runs. */
  static final int TOTAL_HITS_THRESHOLD = 1000;
  static final int QUERY_WORDS_MAX = 10;
  /** Candidates from the first pass that the second pass re-ranks by text relevance. */
  static final int RERANK_WINDOW = 200;
  static final float NAME_BOOST = 2f;
  static final float EXACT_NAME_BOOST = 20f;
  static final float QUALITY_WEIGHT = 4f;
  /** Opens at which the opens part of quality is half its maximum. */
  static final double OPENS_PIVOT = 10_000;

  private final FSDirectory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  private final Analyzer text = Analyzers.text();
  private final Analyzer prefix = Analyzers.prefix();
  private final QueryBuilder queries;
  private volatile String epoch = "0";

  private SearchIndex(Path dir, double ramBufferMb) throws IOException {
    this.directory = FSDirectory.open(dir);
    IndexWriterConfig config = new IndexWriterConfig(Analyzers.indexing())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setRAMBufferSizeMB(ramBufferMb)
        .setIndexSort(new Sort(new SortField(QUALITY_RANK, SortField.Type.LONG, true)));
    this.writer = new IndexWriter(directory, config);
    this.searchers = new SearcherManager(writer, new SearcherFactory());
    this.reopener = new ControlledRealTimeReopenThread<>(writer, searchers, STALE_SECONDS_MAX,
        STALE_SECONDS_MIN);
    reopener.setName("search-reopen");
    reopener.setDaemon(true);
    reopener.start();
    this.queries = new QueryBuilder(Analyzers.query(Synonyms.parse(Synonyms.BUILT_IN, text)));
  }

  /** Opens (or creates) the index in {@code dir}. */
  public static SearchIndex open(Path dir) {
    return open(dir, 64);
  }

  /** With a larger indexing buffer, for bulk builds (the benchmark). */
  public static SearchIndex open(Path dir, double ramBufferMb) {
    try {
      return new SearchIndex(dir, ramBufferMb);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + dir, e);
    }
  }

  // --- Writing --------------------------------------------------------------------------------

  /** Adds or replaces an app; returns the generation to pass to {@link #awaitVisible}. */
  public long upsert(AppDocument app) {
    try {
      return writer.updateDocument(new Term(ID, app.appId()), document(app));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds an app known not to be in the index (bulk builds into an empty index: no delete-by-id
   * lookup). Safe from several threads at once.
   */
  public long addNew(AppDocument app) {
    try {
      return writer.addDocument(document(app));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long remove(String appId) {
    try {
      return writer.deleteDocuments(new Term(ID, appId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a rebuild: documents written from now on carry a new epoch, and {@link
   * #finishRebuild} removes every document that does not. Searches see the old documents until
   * each is replaced, never an empty index.
   */
  public String startRebuild() {
    epoch = Long.toString(System.nanoTime());
    return epoch;
  }

  /** Removes the apps the rebuild that returned {@code rebuild} did not write. */
  public long finishRebuild(String rebuild) {
    try {
      return writer.deleteDocuments(new BooleanQuery.Builder()
          .add(new MatchAllDocsQuery(), Occur.MUST)
          .add(new TermQuery(new Term(EPOCH, rebuild)), Occur.MUST_NOT).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits, at most about {@link #STALE_SECONDS_MAX}, until a change is visible to searches. */
  public void awaitVisible(long generation) {
    try {
      reopener.waitForGeneration(generation, (int) (STALE_SECONDS_MAX * 2000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes every change so far visible now. */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes every change so far durable (the server commits periodically and on close). */
  public void commit() {
    try {
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Apps visible to searches now. */
  public int size() {
    return withSearcher(s -> s.getIndexReader().numDocs());
  }

  private Document document(AppDocument app) {
    Document d = new Document();
    d.add(new StringField(ID, app.appId(), Field.Store.YES));
    d.add(new StringField(EPOCH, epoch, Field.Store.NO));
    d.add(new TextField(NAME, app.name(), Field.Store.YES));
    d.add(new StringField(NAME_EXACT, normalise(app.name()), Field.Store.NO));
    d.add(new StringField(CATEGORY, app.category(), Field.Store.YES));
    d.add(new StoredField(DESCRIPTION, app.description()));
    if (app.icon() != null) {
      d.add(new StoredField(ICON, app.icon()));
    }
    String keywords = String.join(" ", app.keywords());
    String merchant = app.merchantName() == null ? "" : app.merchantName();
    String city = app.city() == null ? "" : app.city();
    String category = app.category().replace('_', ' ');
    d.add(new TextField(ALL, String.join(" \n ", app.name(), keywords, category, merchant, city,
        app.description()), Field.Store.NO));
    d.add(new TextField(PREFIX, String.join(" \n ", app.name(), keywords, category, merchant),
        Field.Store.NO));
    double quality = quality(app);
    d.add(new FeatureField(FEATURES, QUALITY, (float) quality));
    d.add(new NumericDocValuesField(QUALITY_RANK, Math.round(quality * 1e6)));
    d.add(new NumericDocValuesField(OPENS, app.opens()));
    d.add(new NumericDocValuesField(PAY_SUCCESS_PPM, Math.round(app.paySuccessRate() * 1e6)));
    d.add(new NumericDocValuesField(RATING_X100, Math.round(app.rating() * 100)));
    return d;
  }

  /**
   * Quality in (0, 1]: half from opens (saturating: {@link #OPENS_PIVOT} opens give a quarter),
   * a quarter each from payment success and rating.
   */
  static double quality(AppDocument app) {
    double opens = Math.max(0, app.opens());
    double q = 0.5 * opens / (opens + OPENS_PIVOT)
        + 0.25 * clamp(app.paySuccessRate(), 0, 1)
        + 0.25 * clamp(app.rating(), 0, 5) / 5;
    return Math.max(q, 1e-4);
  }

  private static double clamp(double v, double lo, double hi) {
    return Double.isNaN(v) ? lo : Math.max(lo, Math.min(hi, v));
  }

  // --- Searching ------------------------------------------------------------------------------

  public SearchResults search(SearchQuery q) {
    int page = Math.max(1, q.page());
    int size = q.pageSize() <= 0 ? SearchQuery.DEFAULT_PAGE_SIZE
        : Math.min(q.pageSize(), SearchQuery.PAGE_SIZE_MAX);
    if ((long) page * size > SearchQuery.DEPTH_MAX) {
      throw new IllegalArgumentException("results go " + SearchQuery.DEPTH_MAX + " deep at most;"
          + " narrow the search (more words or a category)");
    }
    String raw = q.text() == null ? "" : q.text();
    if (raw.length() > SearchQuery.TEXT_CHARS_MAX) {
      raw = raw.substring(0, SearchQuery.TEXT_CHARS_MAX);
    }
    Query match = matchQuery(raw);
    if (match == null) {
      return SearchResults.EMPTY;
    }
    BooleanQuery.Builder filtered = new BooleanQuery.Builder().add(match, Occur.MUST);
    if (q.category() != null && !q.category().isBlank()) {
      filtered.add(new TermQuery(new Term(CATEGORY, q.category().strip())), Occur.FILTER);
    }
    Query required = filtered.build();
    Query exactName = raw.isBlank() ? null
        : new BoostQuery(new TermQuery(new Term(NAME_EXACT, normalise(raw))), EXACT_NAME_BOOST);
    Query quality = FeatureField.newLinearQuery(FEATURES, QUALITY, QUALITY_WEIGHT);
    // Pass 1: the best matches by quality (and exact name), cheap to find at any match count.
    BooleanQuery.Builder first = new BooleanQuery.Builder()
        .add(new ConstantScoreQuery(required), Occur.MUST).add(quality, Occur.SHOULD);
    // Pass 2: text relevance for those candidates only.
    BooleanQuery.Builder second = new BooleanQuery.Builder().add(match, Occur.SHOULD)
        .add(quality, Occur.SHOULD);
    if (exactName != null) {
      first.add(exactName, Occur.SHOULD);
      second.add(exactName, Occur.SHOULD);
      Query inName = queries.createBooleanQuery(NAME, raw, Occur.SHOULD);
      if (inName != null) {
        second.add(new BoostQuery(inName, NAME_BOOST), Occur.SHOULD);
      }
    }
    Query firstPass = first.build();
    QueryRescorer rescorer = new QueryRescorer(second.build()) {
      @Override
      protected float combine(float firstScore, boolean matched, float secondScore) {
        return matched ? secondScore : firstScore;
      }
    };
    int wanted = page * size;
    int window = Math.max(wanted, RERANK_WINDOW);
    return withSearcher(s -> {
      TopDocs candidates = s.search(firstPass, new TopScoreDocCollectorManager(window, null,
          TOTAL_HITS_THRESHOLD));
      long total = candidates.totalHits.relation() == TotalHits.Relation.EQUAL_TO
          ? candidates.totalHits.value() : s.count(required);
      TopDocs top = rescorer.rescore(s, candidates, wanted);
      List<SearchResult> results = new ArrayList<>(size);
      StoredFields stored = s.storedFields();
      for (int i = (page - 1) * size; i < top.scoreDocs.length; i++) {
        ScoreDoc hit = top.scoreDocs[i];
        Document d = stored.document(hit.doc);
        results.add(new SearchResult(d.get(ID), d.get(NAME), d.get(DESCRIPTION), d.get(CATEGORY),
            d.get(ICON)));
      }
      return new SearchResults(results, total);
    });
  }

  /**
   * What must match: every word of the text (with its synonyms), the last one also as a prefix
   * unless the text ends with a space; everything when the text is blank; null when nothing can.
   */
  private Query matchQuery(String raw) {
    String[] words = raw.strip().split("\\s+");
    if (raw.isBlank()) {
      return new MatchAllDocsQuery();
    }
    if (words.length > QUERY_WORDS_MAX) {
      words = java.util.Arrays.copyOf(words, QUERY_WORDS_MAX);
    }
    boolean typing = !Character.isWhitespace(raw.charAt(raw.length() - 1));
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    int clauses = 0;
    int complete = typing ? words.length - 1 : words.length;
    if (complete > 0) {
      Query done = queries.createBooleanQuery(ALL, String.join(" ",
          java.util.Arrays.copyOf(words, complete)), Occur.MUST);
      if (done != null) {
        all.add(done, Occur.MUST);
        clauses++;
      }
    }
    if (typing) {
      String last = words[words.length - 1];
      BooleanQuery.Builder either = new BooleanQuery.Builder();
      int options = 0;
      Query whole = queries.createBooleanQuery(ALL, last, Occur.MUST);
      if (whole != null) {
        either.add(whole, Occur.SHOULD);
        options++;
      }
      String stem = prefix.normalize(PREFIX, last).utf8ToString();
      if (stem.codePointCount(0, stem.length()) >= Analyzers.PREFIX_CHARS_MIN
          && stem.chars().allMatch(Character::isLetterOrDigit)) {
        if (stem.length() > Analyzers.PREFIX_CHARS_MAX) {
          stem = stem.substring(0, Analyzers.PREFIX_CHARS_MAX);
        }
        either.add(new TermQuery(new Term(PREFIX, stem)), Occur.SHOULD);
        options++;
      }
      if (options > 0) {
        all.add(either.build(), Occur.MUST);
        clauses++;
      }
    }
    return clauses == 0 ? null : all.build();
  }

  /** A name as compared for an exact match: its analysed words joined by single spaces. */
  String normalise(String name) {
    StringBuilder s = new StringBuilder();
    try (TokenStream ts = text.tokenStream(NAME_EXACT, name)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (!s.isEmpty()) {
          s.append(' ');
        }
        s.append(term);
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.toString().toLowerCase(Locale.ROOT);
  }

  @FunctionalInterface
  private interface SearcherWork<T> {
    T run(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherWork<T> work) {
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return work.run(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      reopener.close();
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
