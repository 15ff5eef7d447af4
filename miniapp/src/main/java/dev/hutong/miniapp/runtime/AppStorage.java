package dev.hutong.miniapp.runtime;

import dev.hutong.identity.Tx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code my.setStorage} and friends, kept on the server: isolated per user and app (an app never
 * names the user or the app; the server takes both from the signed-in session and the launch), at
 * most {@link #VALUE_BYTES_MAX} a value and {@link #APP_BYTES_MAX} an app. Values are JSON text,
 * stored as the app sent them (the server has checked they parse). A key and its value both count
 * towards the quota, in UTF-8 bytes.
 */
public final class AppStorage {
  /** Alipay's limit for one key's data. */
  public static final int VALUE_BYTES_MAX = 200 * 1024;
  /** Alipay's limit for one app's storage (per user here, since storage is per user x app). */
  public static final long APP_BYTES_MAX = 10L * 1024 * 1024;
  /** Longest key, in characters. */
  public static final int KEY_CHARS_MAX = 1024;
  /** Most keys {@link #keys} returns (10 MB of one-byte values could be millions). */
  public static final int KEYS_LISTED_MAX = 1000;

  private final Jdbi jdbi;
  private final Clock clock;

  public AppStorage(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Stores {@code jsonValue} under {@code key}, replacing what was there (idempotent). */
  public void set(UUID userId, String appId, String key, String jsonValue) {
    requireKey(key);
    if (jsonValue == null) {
      throw new StorageException(StorageException.INVALID_PARAMETER, "data is required");
    }
    int valueBytes = jsonValue.getBytes(StandardCharsets.UTF_8).length;
    if (valueBytes > VALUE_BYTES_MAX) {
      throw new StorageException(StorageException.VALUE_TOO_LARGE, "the value of '" + key
          + "' is " + valueBytes + " bytes; one key holds at most " + VALUE_BYTES_MAX
          + " bytes (200 KB)");
    }
    int bytes = valueBytes + key.getBytes(StandardCharsets.UTF_8).length;
    Tx.run(jdbi, h -> {
      long used = lockUsage(h, userId, appId);
      int old = currentBytes(h, userId, appId, key);
      long after = used - old + bytes;
      if (after > APP_BYTES_MAX) {
        throw new StorageException(StorageException.QUOTA_EXCEEDED, "the app's storage would"
            + " hold " + after + " bytes; an app may keep at most " + APP_BYTES_MAX
            + " bytes (10 MB) for a user: remove keys first");
      }
      h.createUpdate("INSERT INTO miniapp_storage (user_id, app_id, key, value, bytes,"
              + " updated_at) VALUES (:u, :a, :k, :v, :b, :at) ON CONFLICT (user_id, app_id, key)"
              + " DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes,"
              + " updated_at = EXCLUDED.updated_at")
          .bind("u", Tx.uuid(userId)).bind("a", appId).bind("k", key).bind("v", jsonValue)
          .bind("b", bytes).bind("at", Tx.at(clock.instant())).execute();
      setUsage(h, userId, appId, after);
      return null;
    });
  }

  /** The JSON text stored under {@code key}; empty when there is none. */
  public Optional<String> get(UUID userId, String appId, String key) {
    requireKey(key);
    return Tx.read(jdbi, h -> h.createQuery("SELECT value FROM miniapp_storage WHERE user_id = :u"
            + " AND app_id = :a AND key = :k")
        .bind("u", Tx.uuid(userId)).bind("a", appId).bind("k", key)
        .mapTo(String.class).findOne());
  }

  /** Removes {@code key}; removing a key that is not there succeeds too. */
  public void remove(UUID userId, String appId, String key) {
    requireKey(key);
    Tx.run(jdbi, h -> {
      long used = lockUsage(h, userId, appId);
      int old = currentBytes(h, userId, appId, key);
      h.createUpdate("DELETE FROM miniapp_storage WHERE user_id = :u AND app_id = :a AND key = :k")
          .bind("u", Tx.uuid(userId)).bind("a", appId).bind("k", key).execute();
      setUsage(h, userId, appId, used - old);
      return null;
    });
  }

  /** Removes every key the app stored for the user. */
  public void clear(UUID userId, String appId) {
    Tx.run(jdbi, h -> {
      lockUsage(h, userId, appId);
      h.createUpdate("DELETE FROM miniapp_storage WHERE user_id = :u AND app_id = :a")
          .bind("u", Tx.uuid(userId)).bind("a", appId).execute();
      setUsage(h, userId, appId, 0);
      return null;
    });
  }

  /** Bytes in use for the user and app (keys and values, UTF-8). */
  public long usedBytes(UUID userId, String appId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT bytes FROM miniapp_storage_usage"
            + " WHERE user_id = :u AND app_id = :a")
        .bind("u", Tx.uuid(userId)).bind("a", appId).mapTo(Long.class).findOne().orElse(0L));
  }

  /** The keys, sorted, at most {@link #KEYS_LISTED_MAX} (my.getStorageInfo). */
  public List<String> keys(UUID userId, String appId) {
    return Tx.read(jdbi, h -> h.createQuery("SELECT key FROM miniapp_storage WHERE user_id = :u"
            + " AND app_id = :a ORDER BY key LIMIT " + KEYS_LISTED_MAX)
        .bind("u", Tx.uuid(userId)).bind("a", appId).mapTo(String.class).list());
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new StorageException(StorageException.INVALID_PARAMETER,
          "key is required: a non-empty string");
    }
    if (key.length() > KEY_CHARS_MAX) {
      throw new StorageException(StorageException.INVALID_PARAMETER, "the key is "
          + key.length() + " characters; at most " + KEY_CHARS_MAX);
    }
    if (key.indexOf('\0') >= 0) {
      throw new StorageException(StorageException.INVALID_PARAMETER,
          "the key contains a NUL character");
    }
  }

  /** Creates the usage row if needed and locks it for the rest of the transaction. */
  private static long lockUsage(Handle h, UUID userId, String appId) {
    h.createUpdate("INSERT INTO miniapp_storage_usage (user_id, app_id, bytes) VALUES (:u, :a, 0)"
            + " ON CONFLICT (user_id, app_id) DO NOTHING")
        .bind("u", Tx.uuid(userId)).bind("a", appId).execute();
    return h.createQuery("SELECT bytes FROM miniapp_storage_usage WHERE user_id = :u"
            + " AND app_id = :a FOR UPDATE")
        .bind("u", Tx.uuid(userId)).bind("a", appId).mapTo(Long.class).one();
  }

  private static int currentBytes(Handle h, UUID userId, String appId, String key) {
    return h.createQuery("SELECT bytes FROM miniapp_storage WHERE user_id = :u AND app_id = :a"
            + " AND key = :k")
        .bind("u", Tx.uuid(userId)).bind("a", appId).bind("k", key)
        .mapTo(Integer.class).findOne().orElse(0);
  }

  private static void setUsage(Handle h, UUID userId, String appId, long bytes) {
    h.createUpdate("UPDATE miniapp_storage_usage SET bytes = :b WHERE user_id = :u"
            + " AND app_id = :a")
        .bind("b", bytes).bind("u", Tx.uuid(userId)).bind("a", appId).execute();
  }
}
