/**
 * Background work off the request path, on worker threads: adding usage roll-ups and key uses to
 * the store, and deleting what is past its retention.
 */
@NullMarked
package io.xecure.jobs;

import org.jspecify.annotations.NullMarked;
