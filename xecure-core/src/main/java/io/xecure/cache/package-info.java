/** In-memory caches on the request path. */
@NullMarked
package io.xecure.cache;

import org.jspecify.annotations.NullMarked;
