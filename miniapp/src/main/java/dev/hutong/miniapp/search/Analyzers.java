package dev.hutong.miniapp.search;

import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;

/**
 * The analysis chains. Text: Unicode word segmentation, Chinese, Japanese and Korean as
 * overlapping character pairs ("万达影城" → 万达 达影 影城), lower case, accents folded, Porter
 * stemming ("movies", "movie" and "movie's" all become "movi"; a lighter stemmer such as KStem
 * leaves "movies" alone, and then the synonym "movie" misses every "movies"). Queries add the synonym graph; every synonym is one
 * token after analysis, so a group becomes one {@code SynonymQuery} (one blended term, cheap to
 * score and prune) rather than a disjunction of phrases. The prefix field holds the edge n-grams (2-20 characters) of the name, keywords,
 * category and merchant words, so the word being typed matches with one term lookup.
 */
final class Analyzers {
  static final int PREFIX_CHARS_MIN = 2;
  static final int PREFIX_CHARS_MAX = 20;

  private Analyzers() {}

  /** Indexed text; also how synonym entries and exact names are normalised. */
  static Analyzer text() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, stem(fold(new CJKBigramFilter(source))));
      }

      @Override
      protected TokenStream normalize(String field, TokenStream in) {
        return fold(in);
      }
    };
  }

  /** Query text: as indexed, then the synonyms. */
  static Analyzer query(SynonymMap synonyms) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source,
            new SynonymGraphFilter(stem(fold(new CJKBigramFilter(source))), synonyms, true));
      }

      @Override
      protected TokenStream normalize(String field, TokenStream in) {
        return fold(in);
      }
    };
  }

  /** The prefix field at index time: folded words and their leading 2-20 characters. */
  static Analyzer prefix() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, new EdgeNGramTokenFilter(
            fold(new CJKBigramFilter(source)),
            PREFIX_CHARS_MIN, PREFIX_CHARS_MAX, true));
      }

      @Override
      protected TokenStream normalize(String field, TokenStream in) {
        return fold(in);
      }
    };
  }

  static Analyzer indexing() {
    return new PerFieldAnalyzerWrapper(text(), Map.of(SearchIndex.PREFIX, prefix()));
  }

  private static TokenStream fold(TokenStream in) {
    return new ASCIIFoldingFilter(new LowerCaseFilter(in));
  }

  private static TokenStream stem(TokenStream in) {
    return new PorterStemFilter(in);
  }
}
