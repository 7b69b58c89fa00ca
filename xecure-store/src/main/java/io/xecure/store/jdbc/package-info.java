/**
 * The JDBC {@link io.xecure.store.Store}: H2 embedded for one machine, PostgreSQL for a cluster,
 * one set of Flyway migrations ({@code db/migration}) for both.
 */
@NullMarked
package io.xecure.store.jdbc;

import org.jspecify.annotations.NullMarked;
