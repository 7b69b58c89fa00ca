/**
 * Request events of a single node in DuckDB: a columnar file of its own next to the H2 store, kept
 * off the Java heap, written in bulk by the event recorder's one writer thread.
 */
@NullMarked
package io.xecure.store.duck;

import org.jspecify.annotations.NullMarked;
