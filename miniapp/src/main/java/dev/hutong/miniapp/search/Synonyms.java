package dev.hutong.miniapp.search;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.ParseException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymMap;

/**
 * The built-in synonyms for the platform's categories, applied at query time only (so the list
 * can change without reindexing). Each line is a group of equivalent terms (Solr format); entries
 * are analysed like indexed text (lower-cased, folded, stemmed; Chinese as character pairs), and
 * each must stay one token after that (no multi-word entries), which keeps a group one
 * {@code SynonymQuery}.
 */
final class Synonyms {
  static final String BUILT_IN = String.join("\n",
      "cinema, movie, film, theater, theatre, screening, 电影, 影院, 影城",
      "restaurant, food, dining, eatery, meal, bistro, 餐厅, 美食, 饭店",
      "noodle, ramen, 面馆",
      "realty, estate, property, apartment, flat, rental, 房产, 租房",
      "hotel, lodging, inn, hostel, 酒店",
      "taxi, cab, ride, 出租车",
      "coffee, cafe, espresso, 咖啡",
      "grocery, supermarket, market, 超市",
      "clinic, hospital, doctor, pharmacy, 医院",
      "salon, beauty, hairdresser, barber, 美容",
      "gym, fitness, workout, 健身",
      "school, class, course, tutoring, 培训",
      "karaoke, ktv",
      "delivery, takeaway, takeout, 外卖");

  private Synonyms() {}

  static SynonymMap parse(String rules, Analyzer entryAnalyzer) {
    SolrSynonymParser parser = new SolrSynonymParser(true, true, entryAnalyzer);
    try {
      parser.parse(new StringReader(rules));
      return parser.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new IllegalArgumentException("bad synonym rules: " + e.getMessage(), e);
    }
  }
}
