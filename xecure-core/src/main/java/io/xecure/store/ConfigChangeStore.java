package io.xecure.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runtime changes to APIs and plans, which override the config file's definitions until deleted.
 *
 * <p>Every method may block (JDBC) and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the database cannot be reached or fails.
 *
 * <p>A change that a node's memory depends on takes the admin event that records it, and writes the
 * change, its change-feed row and that event in one transaction: a crash or a failure leaves all
 * three or none. A change no operator made (tests, tools) passes a null event and writes the change
 * and its feed row only.
 */
public interface ConfigChangeStore {

  /** Runtime changes to APIs and plans, oldest first (the order they are applied in). */
  List<ConfigChange> configChanges();

  /** Records a runtime change, replacing any earlier one of the same kind and name. */
  void putConfigChange(ConfigChange change, @Nullable AdminEvent audit);

  /** Forgets the runtime change of that kind and name, if any: the file's definition applies. */
  void deleteConfigChange(ConfigChange.Kind kind, String name, @Nullable AdminEvent audit);
}
