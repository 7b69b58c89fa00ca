package io.xecure.store;

/**
 * All of the durable state in one database, as one object to open and close. Each role is a port of
 * its own ({@link DeveloperStore}, {@link ApiKeyStore}, {@link EventStore}, {@link UsageStore},
 * {@link ConfigChangeStore}; alerts, operators, the change log and nodes have theirs too), and code
 * that needs one role takes that port, not this. Never called on the request path: the {@link
 * io.xecure.keys.KeyIndex} answers requests; the store is for changes and loading.
 */
public interface Store
    extends DeveloperStore, ApiKeyStore, EventStore, UsageStore, ConfigChangeStore, AutoCloseable {

  @Override
  void close();
}
