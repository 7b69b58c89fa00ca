package io.xecure.store.jdbc;

import io.xecure.store.ChangeLog.Listener;
import io.xecure.store.ChangeLog.Subscription;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL LISTEN on the feed's channel ({@link ChangeRows#channel}, one per schema), on a
 * connection of its own (outside the pool, a listening connection is never returned) and one daemon
 * thread. When the connection fails it is re-opened after a pause growing to {@value
 * #MAX_BACKOFF_MS} ms; the listener is told of each loss and each (re)connection, after which the
 * reader must catch up on what it may have missed.
 */
final class ChangeListener implements Subscription, Runnable {
  /** How long one wait for notifications blocks: also how soon a close is noticed. */
  private static final int WAIT_MS = 500;

  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final JdbcUrls.Target target;
  private final @Nullable String user;
  private final @Nullable String password;
  private final String channel;
  private final Listener listener;
  private final Thread thread;
  private volatile boolean closed;
  private volatile @Nullable Connection connection;

  private ChangeListener(
      JdbcUrls.Target target,
      @Nullable String user,
      @Nullable String password,
      String channel,
      Listener listener) {
    this.target = target;
    this.channel = channel;
    this.user = user;
    this.password = password;
    this.listener = listener;
    this.thread = new Thread(this, "xecure-change-listener");
    thread.setDaemon(true);
  }

  static ChangeListener start(
      JdbcUrls.Target target,
      @Nullable String user,
      @Nullable String password,
      String channel,
      Listener listener) {
    ChangeListener l = new ChangeListener(target, user, password, channel, listener);
    l.thread.start();
    return l;
  }

  @Override
  public void run() {
    long backoff = FIRST_BACKOFF_MS;
    while (!closed) {
      try (Connection c = open()) {
        connection = c;
        try (Statement s = c.createStatement()) {
          // a valid unquoted identifier by construction (ChangeRows.channel)
          s.execute("LISTEN " + channel);
        }
        backoff = FIRST_BACKOFF_MS;
        listener.connected();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(WAIT_MS);
          long latest = latest(notifications);
          if (latest > 0) {
            listener.changed(latest);
          }
          if (notifications == null && !c.isValid(1)) {
            throw new SQLException("listening connection lost", "08006");
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        listener.disconnected(e);
        pause(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      } finally {
        connection = null;
      }
    }
  }

  private static long latest(PGNotification @Nullable [] notifications) {
    long latest = 0;
    if (notifications != null) {
      for (PGNotification n : notifications) {
        try {
          latest = Math.max(latest, Long.parseLong(n.getParameter()));
        } catch (NumberFormatException e) {
          // not ours: only the sequence is ever sent on this channel
        }
      }
    }
    return latest;
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    p.putAll(target.driverProperties());
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    // a cut network must be noticed: no read may block longer than this
    p.setProperty("socketTimeout", "5");
    return DriverManager.getConnection(target.url(), p);
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }
}
