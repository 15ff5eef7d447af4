package dev.hutong.miniapp;

import dev.hutong.identity.Tx;
import dev.hutong.miniapp.search.AppDocument;
import dev.hutong.miniapp.search.SearchIndex;
import dev.hutong.miniapp.search.SearchQuery;
import dev.hutong.miniapp.search.SearchResults;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the search index in step with the database: an app is indexed when a version goes online
 * (and re-indexed when its profile changes), removed when it goes offline, and the whole index can
 * be rebuilt from the online apps ({@link #reindexAll}, at start-up when the index is new, and
 * periodically to refresh the quality signals).
 */
public final class Discovery implements AppEvents {
  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
  static final int REINDEX_BATCH = 1000;

  private final Jdbi jdbi;
  private final UserApps userApps;
  private final MerchantDirectory merchants;
  private final SearchIndex index;

  public Discovery(Jdbi jdbi, UserApps userApps, MerchantDirectory merchants, SearchIndex index) {
    this.jdbi = jdbi;
    this.userApps = userApps;
    this.merchants = merchants;
    this.index = index;
  }

  /** The {@code GET /api/search} answer. */
  public SearchResults search(SearchQuery query) {
    return index.search(query);
  }

  @Override
  public void online(String appId) {
    try {
      Optional<App> app = Tx.read(jdbi, h -> Apps.find(h, appId));
      if (app.isPresent() && app.get().status() == AppStatus.ONLINE) {
        index.upsert(document(app.get()));
      } else {
        index.remove(appId);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not index app {} (the next reindex will): {}", appId, e.toString());
    }
  }

  @Override
  public void offline(String appId) {
    try {
      index.remove(appId);
    } catch (RuntimeException e) {
      LOG.warn("could not remove app {} from the index (the next reindex will): {}", appId,
          e.toString());
    }
  }

  /**
   * Rebuilds the index from the online apps (searches keep working meanwhile: old entries stay
   * until replaced, and those of apps no longer online go at the end); returns how many apps were
   * indexed.
   */
  public int reindexAll() {
    return reindexAll(indexed -> { });
  }

  /**
   * {@link #reindexAll()}, telling {@code progress} the running count after each batch of
   * {@value #REINDEX_BATCH} apps (the server logs it). An exception thrown by {@code progress}
   * abandons the rebuild: the index keeps what it had, plus the apps already rewritten.
   */
  public int reindexAll(IntConsumer progress) {
    String rebuild = index.startRebuild();
    int count = 0;
    String after = null;
    while (true) {
      String from = after == null ? "" : after;
      List<App> batch = Tx.read(jdbi, h -> h.createQuery("SELECT * FROM miniapp_app WHERE status"
              + " = 'ONLINE' AND app_id > :after ORDER BY app_id LIMIT " + REINDEX_BATCH)
          .bind("after", from).map(Apps::app).list());
      for (App app : batch) {
        index.upsert(document(app));
        count++;
      }
      progress.accept(count);
      if (batch.size() < REINDEX_BATCH) {
        break;
      }
      after = batch.get(batch.size() - 1).appId();
    }
    index.finishRebuild(rebuild);
    index.refresh();
    index.commit();
    return count;
  }

  /**
   * Whether the index holds exactly as many apps as are online: a cheap check at start-up for an
   * index that missed changes (a crash before its last commit, a database restored from backup).
   */
  public boolean matchesDatabase() {
    long online = Tx.read(jdbi, h -> h.createQuery("SELECT count(*) FROM miniapp_app WHERE"
        + " status = 'ONLINE'").mapTo(Long.class).one());
    index.refresh();
    return index.size() == online;
  }

  /** Waits until every change so far is searchable (tests, and after a bulk change). */
  public void refresh() {
    index.refresh();
  }

  private AppDocument document(App app) {
    AppProfile p = app.profile();
    AppSignals s = userApps.signals(app.appId());
    return new AppDocument(app.appId(), p.name(), p.description(), p.keywords(), p.category(),
        merchants.merchantName(app.merchantId()).orElse(""), p.city(), p.iconPath(), s.opens(),
        s.paySuccessRate(), s.rating());
  }
}
