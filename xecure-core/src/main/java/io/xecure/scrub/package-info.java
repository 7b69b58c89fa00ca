/**
 * The one scrubbing step every string the gateway writes down goes through (SPEC §4): request paths
 * and queries, user agents, log lines, alert details and webhook bodies.
 */
@NullMarked
package io.xecure.scrub;

import org.jspecify.annotations.NullMarked;
