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

  public String reason() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
