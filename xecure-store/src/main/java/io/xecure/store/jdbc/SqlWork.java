package io.xecure.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one pooled connection; {@link Sql} maps its SQLException to the store contract. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
