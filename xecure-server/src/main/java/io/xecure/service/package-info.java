/**
 * The only code that changes developers and keys: store first, then the in-memory index, then an
 * audit event.
 */
@NullMarked
package io.xecure.service;

import org.jspecify.annotations.NullMarked;
