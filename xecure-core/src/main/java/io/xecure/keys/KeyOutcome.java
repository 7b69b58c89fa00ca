package io.xecure.keys;

/**
 * The exact result of checking a presented key. Only {@link #VALID} lets a request on; the others
 * share one public answer (401 key_invalid, 403 for a suspended developer, 503 store_unavailable
 * for {@link #UNVERIFIABLE}), while the exact reason goes to the audit event and the metrics.
 */
public enum KeyOutcome {
  VALID,
  MALFORMED,
  UNKNOWN,
  /**
   * Not in the index while the index may be stale (the change feed unreachable for too long): the
   * key may have been issued on another node, so it is neither accepted nor refused as invalid.
   */
  UNVERIFIABLE,
  REVOKED,
  EXPIRED,
  DEVELOPER_SUSPENDED;

  // one string per outcome, not one per refused request: the event writer finds the same instance
  // again in its front slot, where a new one took a hash, a map look-up and a comparison
  private final String reason = name().toLowerCase(java.util.Locale.ROOT);

  /**
   * The outcome's name in lower case, as events and metrics spell it: the same string each time.
   */
  public String reason() {
    return reason;
  }
}
