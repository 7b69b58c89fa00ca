package io.xecure.store;

import io.xecure.model.Developer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Developers: the accounts that hold keys. Deleting one revokes its keys in the same transaction.
 *
 * <p>Every method may block (JDBC) and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the database cannot be reached or fails.
 *
 * <p>A change that a node's memory depends on takes the admin event that records it, and writes the
 * change, its change-feed row and that event in one transaction: a crash or a failure leaves all
 * three or none. A change no operator made (tests, tools) passes a null event and writes the change
 * and its feed row only.
 */
public interface DeveloperStore {

  Developer insertDeveloper(Developer developer, @Nullable AdminEvent audit);

  Optional<Developer> developer(String id);

  /** Developers ordered by id; {@code cursor} is the last id of the previous page. */
  Page<Developer> developers(int limit, @Nullable String cursor);

  /**
   * Writes only the fields {@code edit} sets: a concurrent edit of other fields (a suspend racing a
   * rename) keeps what it wrote. Returns the developer as stored now; empty, with nothing written,
   * when there is no such developer.
   */
  Optional<Developer> editDeveloper(String id, DeveloperEdit edit, @Nullable AdminEvent audit);

  /**
   * Deletes the developer and revokes all its keys in one transaction, with the admin event {@code
   * audit} makes of the ids revoked; returns those ids, empty (nothing written) when there was no
   * such developer.
   */
  Optional<List<String>> deleteDeveloper(
      String id, Instant now, @Nullable Function<List<String>, AdminEvent> audit);
}
