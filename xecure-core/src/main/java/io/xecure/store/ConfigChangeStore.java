package io.xecure.store;

import java.util.List;

/**
 * Runtime changes to APIs and plans, which override the config file's definitions until deleted.
 *
 * <p>Every method may block (JDBC) and must be called off the event loop, and throws {@link
 * StoreUnavailableException} when the database cannot be reached or fails.
 */
public interface ConfigChangeStore {

  /** Runtime changes to APIs and plans, oldest first (the order they are applied in). */
  List<ConfigChange> configChanges();

  /** Records a runtime change, replacing any earlier one of the same kind and name. */
  void putConfigChange(ConfigChange change);

  /** Forgets the runtime change of that kind and name, if any: the file's definition applies. */
  void deleteConfigChange(ConfigChange.Kind kind, String name);
}
