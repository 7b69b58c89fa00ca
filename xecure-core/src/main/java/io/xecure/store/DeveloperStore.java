package io.xecure.store;

import io.xecure.model.Developer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Developers: the accounts that hold keys. Deleting one revokes its keys in the same transaction.
 *
 * <p>Every method may block (JDBC) and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the database cannot be reached or fails.
 */
public interface DeveloperStore {

  Developer insertDeveloper(Developer developer);

  Optional<Developer> developer(String id);

  /** Developers ordered by id; {@code cursor} is the last id of the previous page. */
  Page<Developer> developers(int limit, @Nullable String cursor);

  /** Replaces name, email and status; empty when there is no such developer. */
  Optional<Developer> updateDeveloper(Developer developer);

  /**
   * Deletes the developer and revokes all its keys in one transaction; returns the ids of the keys
   * revoked, empty when there was no such developer.
   */
  Optional<List<String>> deleteDeveloper(String id, Instant now);
}
