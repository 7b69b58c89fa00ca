package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool retires and replaces its connections all the time (max lifetime, idle timeout, a failed
 * validation). H2 2.4.240 bound a CHECK (... IN (...)) constraint to the connection that created
 * it: once that connection was closed, every insert or update of the table failed with "Check
 * constraint invalid" ("The database has been closed") until the database happened to be closed and
 * opened again. Seen in a 30-minute soak: after 22 minutes, 55 admin calls failed with 500 and
 * usage could not be written for three minutes. Here every connection is retired again and again
 * while writers insert into a table with such a constraint: no write may fail.
 */
class H2PoolTurnoverTest {
  @TempDir Path dir;

  @Test
  void writesKeepWorkingWhileThePoolReplacesEveryConnection() throws Exception {
    JdbcUrls.Target target = JdbcUrls.resolve("jdbc:h2:file:" + dir.resolve("turnover"));
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(target.url());
    config.setDriverClassName(target.driverClass());
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1);
    List<String> failures = new ArrayList<>();
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10) CHECK (v IN ('a', 'b')))");
      }
      ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
      AtomicInteger next = new AtomicInteger();
      long until = System.nanoTime() + 3_000_000_000L;
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        Thread writer =
            new Thread(
                () -> {
                  while (System.nanoTime() < until) {
                    try (Connection c = pool.getConnection();
                        PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, 'a')")) {
                      p.setInt(1, next.incrementAndGet());
                      p.executeUpdate();
                    } catch (SQLException e) {
                      seen.add(e.getMessage() + " <- " + e.getCause());
                    }
                  }
                });
        writer.start();
        writers.add(writer);
      }
      // every connection retired at once, again and again, as the pool does over hours (the one
      // that created the table among the first)
      while (System.nanoTime() < until) {
        pool.getHikariPoolMXBean().softEvictConnections();
        Thread.sleep(20);
      }
      for (Thread writer : writers) {
        writer.join(10_000);
      }
      failures.addAll(seen);
      assertThat(next.get()).as("writes attempted").isGreaterThan(100);
    }
    assertThat(failures).as("failed writes").isEmpty();
  }
}
