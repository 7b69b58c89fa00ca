package io.xecure.net.limits;

/** The limits that close a connection, as counted in {@code xecure_connections_timeouts_total}. */
public enum Limit {
  HEADER_TIMEOUT,
  BODY_IDLE_TIMEOUT,
  IDLE_TIMEOUT,
  RESPONSE_WRITE_TIMEOUT;

  /** The label value: the config field's name. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
