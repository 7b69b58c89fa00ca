/**
 * Structured logs: the JSON-lines encoder selected by {@code XECURE_LOG_FORMAT=json}, and the
 * access log, one line per request on the {@code xecure.access} logger.
 */
@NullMarked
package io.xecure.logging;

import org.jspecify.annotations.NullMarked;
