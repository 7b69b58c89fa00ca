package io.xecure.store.jdbc;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Completes an operator's {@code store.url} with the options the store relies on. An option the
 * operator wrote in the URL always wins.
 */
final class JdbcUrls {
  private static final String H2 = "jdbc:h2:";
  private static final String POSTGRESQL = "jdbc:postgresql:";
  // "nio:", "split:", "zip:" ...: H2 file-system prefixes whose path we do not try to interpret
  private static final Pattern H2_FS_PREFIX = Pattern.compile("^[A-Za-z]{2,}:.*");

  /**
   * @param h2File the embedded H2 database's path without extension, whose parent must exist
   * @param embeddedH2 an H2 database inside this JVM (file or memory), shut down on close
   */
  record Target(
      String url,
      String driverClass,
      Properties driverProperties,
      @Nullable Path h2File,
      boolean embeddedH2) {
    boolean postgres() {
      return url.startsWith(POSTGRESQL);
    }
  }

  private JdbcUrls() {}

  static Target resolve(String url) {
    if (url.startsWith(POSTGRESQL)) {
      return new Target(url, "org.postgresql.Driver", postgresProperties(), null, false);
    }
    if (url.startsWith(H2)) {
      return h2(url);
    }
    // the URL is not echoed: it may carry a password parameter
    throw new IllegalArgumentException(
        "store.url: unsupported database, expected jdbc:h2:... or jdbc:postgresql://...");
  }

  /**
   * reWriteBatchedInserts turns a JDBC batch into multi-row INSERTs (several times faster for a
   * bulk import); connectTimeout (seconds) bounds a connection attempt to an unreachable host, so
   * the pool's 3 s wait is not spent on one SYN; keep-alive notices a peer that vanished.
   */
  private static Properties postgresProperties() {
    Properties p = new Properties();
    p.setProperty("reWriteBatchedInserts", "true");
    p.setProperty("connectTimeout", "3");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "xecure");
    return p;
  }

  private static Target h2(String url) {
    int semi = url.indexOf(';');
    String location = (semi < 0 ? url : url.substring(0, semi)).substring(H2.length());
    String settings = semi < 0 ? "" : url.substring(semi);
    if (location.startsWith("mem:")) {
      return h2Memory(location, settings);
    }
    if (location.startsWith("tcp:") || location.startsWith("ssl:")) {
      return new Target(url, "org.h2.Driver", new Properties(), null, false);
    }
    String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
    // The server closes the store itself after flushing events at shutdown; H2's own shutdown
    // hook (DB_CLOSE_ON_EXIT=TRUE, the default) would race it and close the database first.
    // DB_CLOSE_DELAY=-1: H2 would otherwise close the database (compacting it) and open it again
    // whenever the pool happens to hold no connection, which it retires all the time;
    // JdbcStore#close() shuts it down.
    String full =
        withSetting(withSetting(url, "DB_CLOSE_ON_EXIT", "FALSE"), "DB_CLOSE_DELAY", "-1");
    return new Target(full, "org.h2.Driver", new Properties(), filePath(path), true);
  }

  /**
   * An unnamed {@code jdbc:h2:mem:} is private to one connection, so each pooled connection would
   * see an empty database: it gets a unique name. DB_CLOSE_DELAY=-1 keeps it while the pool
   * replaces connections; {@link JdbcStore#close()} shuts it down.
   */
  private static Target h2Memory(String location, String settings) {
    String name = location.equals("mem:") ? "mem:xecure-" + UUID.randomUUID() : location;
    String url = withSetting(H2 + name + settings, "DB_CLOSE_DELAY", "-1");
    return new Target(url, "org.h2.Driver", new Properties(), null, true);
  }

  private static @Nullable Path filePath(String path) {
    if (H2_FS_PREFIX.matcher(path).matches()) {
      return null;
    }
    if (path.startsWith("~")) {
      return Path.of(System.getProperty("user.home") + path.substring(1));
    }
    return Path.of(path);
  }

  private static String withSetting(String url, String name, String value) {
    boolean present = url.toUpperCase(Locale.ROOT).contains(";" + name + "=");
    return present ? url : url + ";" + name + "=" + value;
  }
}
