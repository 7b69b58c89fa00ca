/**
 * Time read where a request's path reads it many times and a few milliseconds do not matter: a
 * clock kept by one thread ({@link io.xecure.clock.CoarseClock}).
 */
@NullMarked
package io.xecure.clock;

import org.jspecify.annotations.NullMarked;
