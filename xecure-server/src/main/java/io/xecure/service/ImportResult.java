package io.xecure.service;

import java.util.List;

/**
 * The outcome of a bulk import: counts, and per-line errors referring to line numbers only (a
 * plaintext never appears in an error).
 *
 * @param errors at most {@link BulkImport#MAX_ERRORS}, in line order; {@code failed} counts all
 * @param errorsTruncated whether more lines failed than {@code errors} lists
 */
public record ImportResult(
    int imported, int failed, List<LineError> errors, boolean errorsTruncated) {

  /** A failed line, numbered from 1. */
  public record LineError(int line, String error) {}
}
