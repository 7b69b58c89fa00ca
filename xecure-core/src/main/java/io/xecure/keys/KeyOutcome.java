package io.xecure.keys;

/**
 * The exact result of checking a presented key. Only {@link #VALID} lets a request on; the others
 * share one public answer (401 key_invalid, or 403 for a suspended developer), while the exact
 * reason goes to the audit event and the metrics.
 */
public enum KeyOutcome {
  VALID,
  MALFORMED,
  UNKNOWN,
  REVOKED,
  EXPIRED,
  DEVELOPER_SUSPENDED;

  public String reason() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
