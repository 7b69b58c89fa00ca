package io.xecure.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Databases for tests, shared with other modules through this module's test-jar.
 *
 * <p>PostgreSQL is at {@code XECURE_TEST_PG_URL} (default {@value #DEFAULT_PG_URL}), user {@code
 * XECURE_TEST_PG_USER} (default {@code postgres}), password {@code XECURE_TEST_PG_PASSWORD}
 * (default none). When it does not answer, tests that need it are skipped with a printed line,
 * unless {@code XECURE_REQUIRE_SERVICES=1}: then they fail, so CI cannot go green by skipping.
 */
public final class TestDatabases {
  public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  private static @Nullable String unreachableReason;
  private static boolean probed;

  private TestDatabases() {}

  /** An embedded H2 file database under {@code dir}, in a subdirectory the store must create. */
  public static String h2Url(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("data").resolve("xecure").toAbsolutePath();
  }

  public static boolean servicesRequired() {
    return "1".equals(System.getenv("XECURE_REQUIRE_SERVICES"));
  }

  public static String postgresUrl() {
    return env("XECURE_TEST_PG_URL", DEFAULT_PG_URL);
  }

  public static String postgresUser() {
    return env("XECURE_TEST_PG_USER", "postgres");
  }

  public static @Nullable String postgresPassword() {
    return System.getenv("XECURE_TEST_PG_PASSWORD");
  }

  /**
   * A fresh, empty schema {@code t_<random>} on the test PostgreSQL, dropped on close; or the
   * calling test is skipped (failed when services are required) when PostgreSQL does not answer.
   */
  public static PostgresSchema postgresOrSkip() {
    String reason = probePostgres();
    if (reason != null) {
      String message =
          "PostgreSQL not reachable at "
              + withoutQuery(postgresUrl())
              + " ("
              + reason
              + "); set XECURE_TEST_PG_URL, or XECURE_REQUIRE_SERVICES=1 to fail instead of skip";
      if (servicesRequired()) {
        Assertions.fail(message);
      }
      Assumptions.abort("SKIPPED: " + message);
    }
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute("CREATE SCHEMA " + schema);
    return new PostgresSchema(schema);
  }

  /** A schema of the test PostgreSQL; {@link #url()} makes it the connection's current schema. */
  public static final class PostgresSchema implements AutoCloseable {
    private final String name;

    private PostgresSchema(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    public String url() {
      String base = postgresUrl();
      return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    public JdbcStore open() {
      return JdbcStore.open(url(), postgresUser(), postgresPassword());
    }

    @Override
    public void close() {
      execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  /** Null when PostgreSQL answers, else why not; asked once per JVM, printed once. */
  private static synchronized @Nullable String probePostgres() {
    if (!probed) {
      probed = true;
      try (Connection c = connect()) {
        c.isValid(2);
      } catch (SQLException e) {
        unreachableReason = e.getClass().getSimpleName() + ": " + e.getMessage();
        System.err.println(
            "[xecure] PostgreSQL tests "
                + (servicesRequired() ? "FAIL" : "SKIPPED")
                + ": no PostgreSQL at "
                + withoutQuery(postgresUrl())
                + " ("
                + unreachableReason
                + ")");
      }
    }
    return unreachableReason;
  }

  private static void execute(String ddl) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(ddl);
    } catch (SQLException e) {
      throw new IllegalStateException("test database: " + ddl + " failed", e);
    }
  }

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", postgresUser());
    String password = postgresPassword();
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "2");
    p.setProperty("loginTimeout", "3");
    return DriverManager.getConnection(postgresUrl(), p);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** A URL's query may hold a password: never print it. */
  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }
}
