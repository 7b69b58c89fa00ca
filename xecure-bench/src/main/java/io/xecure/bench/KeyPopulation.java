package io.xecure.bench;

import io.xecure.keys.Base62;
import io.xecure.keys.KeyFormat;
import io.xecure.keys.KeyHasher;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A synthetic key population shaped like the store's full load at start-up: one developer per
 * {@value #KEYS_PER_DEVELOPER} keys, every key granted the {@code users} API with {@code
 * users:read}, one key in ten with an expiry a year out, no CIDRs, no plan of its own.
 *
 * <p>In {@link Rows#STORE} mode every record brings its own strings and lists, as a JDBC row mapper
 * does (each {@code getString} is a new String), so the footprint is what the gateway would really
 * hold. {@link Rows#SHARED} hands the same instances to every row, to show what de-duplicating
 * before {@link KeyIndex#put} would save.
 */
final class KeyPopulation {
  static final String PREFIX = "xk_";
  static final String PEPPER = "bench-pepper-not-a-secret-0123456789";
  static final int KEYS_PER_DEVELOPER = 1000;

  enum Rows {
    STORE,
    SHARED
  }

  private static final Duration YEAR = Duration.ofDays(365);
  private static final List<String> APIS = List.of("users");
  private static final List<String> SCOPES = List.of("users:read");

  final KeyFormat format = new KeyFormat(PREFIX);
  final KeyHasher hasher = new KeyHasher(PEPPER);
  final Instant now = Instant.now();
  private final Rows rows;
  private final SecureRandom random = new SecureRandom();
  private final List<String> developerIds = new ArrayList<>();

  KeyPopulation(Rows rows) {
    this.rows = rows;
  }

  /**
   * Puts {@code n} generated keys and their developers into {@code index}; returns the plaintexts
   * of the first {@code keep} of them. The others are dropped as soon as they are hashed.
   */
  List<String> loadGenerated(KeyIndex index, int n, int keep) {
    int developers = (n + KEYS_PER_DEVELOPER - 1) / KEYS_PER_DEVELOPER;
    for (int d = developerIds.size(); d < developers; d++) {
      String id = id("dev_", d);
      developerIds.add(id);
      index.putDeveloper(
          new Developer(
              id, "Developer " + d, "dev" + d + "@example.com", DeveloperStatus.ACTIVE, now));
    }
    List<String> kept = new ArrayList<>(keep);
    for (int i = 0; i < n; i++) {
      String key = format.generate();
      index.put(record(key, i, i / KEYS_PER_DEVELOPER));
      if (i < keep) {
        kept.add(key);
      }
    }
    return kept;
  }

  /** The developers of {@code n} generated keys, as {@link #loadGenerated} puts them. */
  List<Developer> developers(int n) {
    List<Developer> all = new ArrayList<>();
    for (int d = 0; d < (n + KEYS_PER_DEVELOPER - 1) / KEYS_PER_DEVELOPER; d++) {
      String id = id("dev_", d);
      developerIds.add(id);
      all.add(
          new Developer(
              id, "Developer " + d, "dev" + d + "@example.com", DeveloperStatus.ACTIVE, now));
    }
    return all;
  }

  /** Generated keys {@code first} to {@code first + count - 1}, plaintexts dropped. */
  List<ApiKeyRecord> records(int first, int count) {
    List<ApiKeyRecord> all = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      all.add(record(format.generate(), i, i / KEYS_PER_DEVELOPER));
    }
    return all;
  }

  /** Generated key {@code ordinal}; its plaintext goes to {@code plaintext}, then is dropped. */
  ApiKeyRecord record(int ordinal, Consumer<String> plaintext) {
    String key = format.generate();
    plaintext.accept(key);
    return record(key, ordinal, ordinal / KEYS_PER_DEVELOPER);
  }

  /**
   * Imports {@code n} keys from a former gateway, {@code bk_} and 32 hex digits (35 characters, so
   * never taken for one of ours), owned by the first developer. Returns their plaintexts.
   */
  List<String> importLegacy(KeyIndex index, int n, int firstOrdinal) {
    if (developerIds.isEmpty()) {
      loadGenerated(index, 0, 0);
    }
    HexFormat hex = HexFormat.of();
    byte[] secret = new byte[16];
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      random.nextBytes(secret);
      String key = "bk_" + hex.formatHex(secret);
      index.put(record(key, firstOrdinal + i, 0));
      keys.add(key);
    }
    return keys;
  }

  /** A generated key that is not in any index: well formed, valid checksum. */
  String unknownKey() {
    return format.generate();
  }

  /** A generated key with one checksum character changed, so it fails before any hashing. */
  String malformedKey() {
    char[] key = format.generate().toCharArray();
    int last = key.length - 1;
    key[last] = key[last] == 'A' ? 'B' : 'A';
    return new String(key);
  }

  private ApiKeyRecord record(String plaintext, int ordinal, int developer) {
    String id = id("key_", ordinal);
    boolean shared = rows == Rows.SHARED;
    String developerId = shared ? developerIds.get(developer) : id("dev_", developer);
    @Nullable Instant expires = ordinal % 10 == 0 ? now.plus(YEAR) : null;
    return new ApiKeyRecord(
        id,
        developerId,
        "key " + ordinal,
        format.displayPrefix(plaintext),
        hasher.hash(plaintext),
        KeyStatus.ACTIVE,
        now.minusSeconds(ordinal),
        expires,
        shared ? APIS : List.of(fresh(APIS.get(0))),
        shared ? SCOPES : List.of(fresh(SCOPES.get(0))),
        List.of(),
        null,
        null,
        null,
        null,
        shared ? id : fresh(id),
        null);
  }

  /** Ids like the store's: a type prefix and 16 base62 digits. */
  private static String id(String type, long n) {
    StringBuilder b = new StringBuilder(type.length() + 16).append(type);
    Base62.appendFixed(b, n, 16);
    return b.toString();
  }

  /** A copy with its own byte array, as a row mapper would produce. */
  private static String fresh(String s) {
    return new String(s.toCharArray());
  }
}
