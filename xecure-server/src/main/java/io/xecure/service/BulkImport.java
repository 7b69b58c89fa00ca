package io.xecure.service;

import io.xecure.keys.KeyFormat;
import io.xecure.keys.KeyHasher;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.service.ImportResult.LineError;
import io.xecure.store.ApiKeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * One bulk import, built for a million lines: check and hash every line in parallel, then insert in
 * batches; each batch is applied to the index (through the change feed) as soon as it is stored.
 * Runs on a worker thread. A store failure part-way leaves the batches already stored in place;
 * re-running the same file is safe (those lines then report "duplicate").
 */
final class BulkImport {
  static final int BATCH = 5_000;
  static final int MAX_ERRORS = 1_000;
  static final String DUPLICATE = "duplicate";

  private final ApiKeyStore store;
  private final KeyIndex index;
  private final Runnable applyCommitted;
  private final KeyFormat format;
  private final KeyHasher hasher;
  private final Clock clock;

  /**
   * @param applyCommitted applies what was just stored to the index (the node's change applier)
   */
  BulkImport(
      ApiKeyStore store,
      KeyIndex index,
      Runnable applyCommitted,
      KeyFormat format,
      KeyHasher hasher,
      Clock clock) {
    this.store = store;
    this.index = index;
    this.applyCommitted = applyCommitted;
    this.format = format;
    this.hasher = hasher;
    this.clock = clock;
  }

  ImportResult run(String developerId, KeySpec rights, List<String> lines) {
    int n = lines.size();
    @Nullable String[] errors = new String[n];
    @Nullable KeyHash[] hashes = new KeyHash[n];
    IntStream.range(0, n).parallel().forEach(i -> check(lines.get(i).strip(), i, errors, hashes));
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Supplier<String> ids = Ids.keySequence(clock);
    Set<KeyHash> seen = new HashSet<>();
    List<ApiKeyRecord> batch = new ArrayList<>(BATCH);
    List<Integer> batchLines = new ArrayList<>(BATCH);
    int imported = 0;
    for (int i = 0; i < n; i++) {
      KeyHash hash = hashes[i];
      if (hash == null) {
        continue; // blank or invalid
      }
      if (!seen.add(hash) || index.get(hash) != null) {
        errors[i] = DUPLICATE;
        continue;
      }
      batch.add(record(ids.get(), developerId, rights, lines.get(i).strip(), hash, now));
      batchLines.add(i);
      if (batch.size() == BATCH) {
        imported += flush(batch, batchLines, errors);
      }
    }
    imported += flush(batch, batchLines, errors);
    return result(imported, errors);
  }

  private void check(String key, int i, @Nullable String[] errors, @Nullable KeyHash[] hashes) {
    if (key.isEmpty()) {
      return; // blank lines (a trailing newline, spacing) are not keys
    }
    String problem = KeyService.importProblem(format, key);
    if (problem != null) {
      errors[i] = problem;
    } else {
      hashes[i] = hasher.hash(key);
    }
  }

  private ApiKeyRecord record(
      String id, String developerId, KeySpec rights, String plaintext, KeyHash hash, Instant now) {
    return new ApiKeyRecord(
        id,
        developerId,
        rights.name(),
        format.displayPrefix(plaintext),
        hash,
        KeyStatus.ACTIVE,
        now,
        rights.expiresAt(),
        rights.apis(),
        rights.scopes(),
        rights.allowedCidrs(),
        rights.plan(),
        null,
        null,
        null,
        id,
        null);
  }

  private int flush(List<ApiKeyRecord> batch, List<Integer> batchLines, @Nullable String[] errors) {
    if (batch.isEmpty()) {
      return 0;
    }
    boolean[] inserted = store.insertKeys(batch);
    int count = 0;
    for (int j = 0; j < batch.size(); j++) {
      if (inserted[j]) {
        count++;
      } else {
        errors[batchLines.get(j)] = DUPLICATE; // already stored, e.g. by a concurrent import
      }
    }
    batch.clear();
    batchLines.clear();
    applyCommitted.run();
    return count;
  }

  private static ImportResult result(int imported, @Nullable String[] errors) {
    List<LineError> listed = new ArrayList<>();
    int failed = 0;
    for (int i = 0; i < errors.length; i++) {
      String error = errors[i];
      if (error != null) {
        failed++;
        if (listed.size() < MAX_ERRORS) {
          listed.add(new LineError(i + 1, error));
        }
      }
    }
    return new ImportResult(imported, failed, listed, failed > listed.size());
  }
}
