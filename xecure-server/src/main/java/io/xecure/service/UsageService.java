package io.xecure.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.keys.KeyIndex;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.store.Store;
import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageSeries;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads usage series from the store, on a worker. Usage of the minute in progress is not there yet:
 * a minute is written once it has ended, within {@link io.xecure.jobs.UsageFlusher#INTERVAL}.
 * Futures fail with {@link io.xecure.store.StoreUnavailableException}.
 */
public final class UsageService {
  private final Vertx vertx;
  private final Store store;
  private final KeyIndex index;

  public UsageService(Vertx vertx, Store store, KeyIndex index) {
    this.vertx = vertx;
    this.store = store;
    this.index = index;
  }

  /**
   * The usage the query asks for. A key filter may name any key of a rotation chain: usage is kept
   * per key identity, so the answer covers the chain, under the identity's id.
   */
  public Future<Report> query(UsageQuery query) {
    return vertx.executeBlocking(
        () -> {
          String key = query.key();
          UsageQuery resolved = key == null ? query : query.withKey(index.identityOf(key));
          UsageSeries.Result result = store.usage(resolved);
          return new Report(resolved, result, names(query.groupBy(), result));
        },
        false);
  }

  /**
   * The answer, with a display name per series id where there is one: a key's name, a developer's
   * name (none for a deleted developer); an API's id is its name.
   */
  public record Report(UsageQuery query, UsageSeries.Result result, Map<String, String> names) {}

  private Map<String, String> names(UsageDimension groupBy, UsageSeries.Result result) {
    Map<String, String> names = new HashMap<>();
    for (UsageSeries series : result.series()) {
      String id = series.id();
      switch (groupBy) {
        case KEY -> store.key(id).map(ApiKeyRecord::name).ifPresent(n -> names.put(id, n));
        case DEVELOPER -> {
          Developer d = index.developer(id);
          if (d != null) {
            names.put(id, d.name());
          } else {
            store.developer(id).ifPresent(dev -> names.put(id, dev.name()));
          }
        }
        case API -> {}
      }
    }
    return names;
  }
}
