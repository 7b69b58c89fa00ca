package io.xecure.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Like {@link SqlWork}, for work that returns nothing. */
@FunctionalInterface
interface SqlAction {
  void run(Connection connection) throws SQLException;
}
