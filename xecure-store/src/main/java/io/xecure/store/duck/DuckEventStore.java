package io.xecure.store.duck;

import io.xecure.events.RequestEvent;
import io.xecure.events.RequestIds;
import io.xecure.store.EventFilter;
import io.xecure.store.EventPosition;
import io.xecure.store.RequestEventStore;
import io.xecure.store.StoreUnavailableException;
import io.xecure.store.StoredEvent;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * Request events in a DuckDB file (or in memory): the {@link RequestEventStore} of a single node,
 * with exactly the JDBC store's semantics (batches stored once, newest first by {@code
 * (occurred_at, seq)}, keyset paging, retention in chunks).
 *
 * <p>DuckDB's pages live off the Java heap, its columns compress well, and its Appender writes a
 * batch without parsing SQL or binding parameters, which makes an event several times cheaper to
 * record than an H2 row. Lists need no index: a filter scans compressed columns, and a time bound
 * skips whole row groups by their min/max.
 *
 * <p>One process may open the file. All writes go through one connection under this object's lock
 * (the recorder's writer thread, and retention); each read uses a connection of its own to the same
 * database, duplicated from the writer's, so admin lists run beside the writer and see committed
 * batches only. Times are stored as UTC {@code TIMESTAMP}s, to the microsecond like the JDBC store.
 * {@code seq} is assigned here, one more than the largest stored, under the lock. The names the
 * gateway chooses (node, API, outcome, code, reason) are stored as numbers ({@link EventNames}); a
 * file from before that is converted once, at open. So are the request ids the gateway makes
 * ({@link RequestIds}); a file from before that keeps its ids as strings.
 */
public final class DuckEventStore implements RequestEventStore, AutoCloseable {
  private static final String READ_COLUMNS =
      "seq, epoch_us(occurred_at) AS occurred_us, request_id, node, api, method, path, status,"
          + " outcome, code, reason, key_id, developer_id, client_ip, user_agent, latency_micros,"
          + " upstream_latency_micros, request_number";

  // The schema is DuckDB's own (no Flyway): created on open when missing. Column order matters:
  // the Appender fills columns by position. node, api, outcome, code and reason hold numbers of
  // EventNames. A request id of the gateway's form is stored as the number it spells, in
  // request_number (RequestIds), with request_id null; any other id as its string.
  private static final String REQUEST_EVENT_COLUMNS =
      " (seq BIGINT NOT NULL,"
          + " occurred_at TIMESTAMP NOT NULL,"
          + " request_id VARCHAR,"
          + " node INTEGER NOT NULL,"
          + " api INTEGER,"
          + " method VARCHAR NOT NULL,"
          + " path VARCHAR NOT NULL,"
          + " status INTEGER NOT NULL,"
          + " outcome INTEGER NOT NULL,"
          + " code INTEGER,"
          + " reason INTEGER,"
          + " key_id VARCHAR,"
          + " developer_id VARCHAR,"
          + " client_ip VARCHAR NOT NULL,"
          + " user_agent VARCHAR,"
          + " latency_micros BIGINT NOT NULL,"
          + " upstream_latency_micros BIGINT NOT NULL,"
          + " request_number HUGEINT)";

  private static final String[] SCHEMA = {
    EventNames.SCHEMA,
    "CREATE TABLE IF NOT EXISTS request_events" + REQUEST_EVENT_COLUMNS,
    // one row per stored batch, so a batch delivered again is skipped whole (see V3__events.sql)
    "CREATE TABLE IF NOT EXISTS event_batches ("
        + " batch_id VARCHAR PRIMARY KEY,"
        + " stored_at TIMESTAMP NOT NULL)",
    // how far each events file is stored (see V10__events_file_positions.sql); the CHECK holds file
    // ids to the JDBC store's VARCHAR(64), so an id one engine takes, both do
    "CREATE TABLE IF NOT EXISTS events_file_positions ("
        + " file_id VARCHAR PRIMARY KEY CHECK (length(file_id) <= 64),"
        + " stored_up_to BIGINT NOT NULL,"
        + " stored_at TIMESTAMP NOT NULL)"
  };

  /**
   * A file written before names were numbered (2026-12-06) holds them as strings: numbered in one
   * transaction at open, every event kept in its order.
   */
  private static final String[] NUMBER_THE_NAMES = {
    "BEGIN TRANSACTION",
    EventNames.SCHEMA,
    "INSERT INTO event_names SELECT row_number() OVER (ORDER BY name), name FROM ("
        + "SELECT node AS name FROM request_events UNION SELECT api FROM request_events"
        + " UNION SELECT outcome FROM request_events UNION SELECT code FROM request_events"
        + " UNION SELECT reason FROM request_events) WHERE name IS NOT NULL",
    "CREATE TABLE request_events_numbered" + REQUEST_EVENT_COLUMNS,
    "INSERT INTO request_events_numbered SELECT e.seq, e.occurred_at, e.request_id, n.id, a.id,"
        + " e.method, e.path, e.status, o.id, c.id, r.id, e.key_id, e.developer_id, e.client_ip,"
        + " e.user_agent, e.latency_micros, e.upstream_latency_micros, NULL FROM request_events e"
        + " JOIN event_names n ON n.name = e.node LEFT JOIN event_names a ON a.name = e.api"
        + " JOIN event_names o ON o.name = e.outcome LEFT JOIN event_names c ON c.name = e.code"
        + " LEFT JOIN event_names r ON r.name = e.reason ORDER BY e.seq",
    "DROP TABLE request_events",
    "ALTER TABLE request_events_numbered RENAME TO request_events",
    "COMMIT"
  };

  /**
   * A file written before request ids were stored as numbers (2026-12-07): its ids stay strings,
   * the column for the numbers is added (at the end: the Appender fills columns by position).
   */
  private static final String[] NUMBER_THE_REQUEST_IDS = {
    "BEGIN TRANSACTION",
    "ALTER TABLE request_events ALTER COLUMN request_id DROP NOT NULL",
    "ALTER TABLE request_events ADD COLUMN request_number HUGEINT",
    "COMMIT"
  };

  /**
   * DuckDB's row group: a transaction appending this many rows has them written to the file as
   * compressed row groups at commit, rather than to the write-ahead log and again at a checkpoint.
   */
  static final int GROUP_ROWS = 122_880;

  private final DuckDBConnection writer;
  private final Connection namesConnection;
  private final EventNames names;
  // the writer's statements of every batch, prepared once (used under the lock only)
  private final PreparedStatement batchStored;
  private final PreparedStatement insertBatch;
  private final PreparedStatement updatePosition;
  private final PreparedStatement insertPosition;
  private final String where;
  // taken by close() and by a reader duplicating the writer's connection, so a read does not wait
  // for a batch being written
  private final Object lifecycle = new Object();
  private long nextSeq; // guarded by this
  private boolean closed; // written under this and lifecycle
  // the open group (appendRequestEventsGrouped): the writer's transaction, left open
  private boolean inGroup; // guarded by this
  private int grouped; // its events, guarded by this
  private long groupSeq; // nextSeq when the group began, guarded by this
  // how far the group stores each file: written at the file's first chunk and again just before
  // the commit (guarded by this)
  private final Map<String, Long> groupPositions = new HashMap<>();

  private DuckEventStore(
      DuckDBConnection writer, Connection namesConnection, String where, long nextSeq)
      throws SQLException {
    this.writer = writer;
    this.namesConnection = namesConnection;
    this.names = EventNames.load(namesConnection);
    this.batchStored = writer.prepareStatement("SELECT 1 FROM event_batches WHERE batch_id = ?");
    this.insertBatch =
        writer.prepareStatement(
            "INSERT INTO event_batches (batch_id, stored_at) VALUES (?, make_timestamp(?))");
    this.updatePosition =
        writer.prepareStatement(
            "UPDATE events_file_positions SET stored_up_to = ?, stored_at = make_timestamp(?)"
                + " WHERE file_id = ?");
    this.insertPosition =
        writer.prepareStatement(
            "INSERT INTO events_file_positions (file_id, stored_up_to, stored_at)"
                + " VALUES (?, ?, make_timestamp(?))");
    this.where = where;
    this.nextSeq = nextSeq;
  }

  /**
   * Opens (creating when missing) the DuckDB file, or an in-memory database when {@code file} is
   * null, with one thread and at most {@code memoryLimit} bytes of memory (buffers for a batch and
   * a scan, not a cache: 128MiB is plenty).
   *
   * @throws StoreUnavailableException when the file cannot be opened (another process holds it,
   *     say)
   */
  public static DuckEventStore open(@Nullable Path file, long memoryLimit) {
    String where = file == null ? "memory" : file.toAbsolutePath().toString();
    createParentDirectory(file);
    Properties settings = new Properties();
    settings.setProperty("memory_limit", memoryLimit + "B");
    // the gateway's CPUs belong to its event loops: a query or a checkpoint runs on its caller
    settings.setProperty("threads", "1");
    // a checkpoint rewrites and recompresses the table's last row group: at the default 16MB of
    // write-ahead log that is every ~50,000 events, several times per row group; at 64MB about once
    // (-18% CPU per event in a 5000-event-per-commit A/B,
    // bench/results/events-group-2026-12-04.md)
    settings.setProperty("checkpoint_threshold", "64MB");
    DuckDBConnection c;
    try {
      c =
          (DuckDBConnection)
              DriverManager.getConnection(
                  "jdbc:duckdb:" + (file == null ? "" : file.toAbsolutePath()), settings);
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "request events: cannot open " + where + ": " + firstLine(e), e);
    }
    Connection namesConnection = null;
    try (Statement s = c.createStatement()) {
      if (namesAreStrings(s)) {
        runAll(s, NUMBER_THE_NAMES);
      }
      runAll(s, SCHEMA);
      if (!hasColumn(s, "request_number")) {
        runAll(s, NUMBER_THE_REQUEST_IDS);
      }
      long maxSeq;
      try (ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM request_events")) {
        rs.next();
        maxSeq = rs.getLong(1);
      }
      namesConnection = c.duplicate();
      return new DuckEventStore(c, namesConnection, where, maxSeq + 1);
    } catch (SQLException e) {
      if (namesConnection != null) {
        closeQuietly(namesConnection);
      }
      closeQuietly(c);
      throw new StoreUnavailableException(
          "request events: cannot prepare " + where + ": " + firstLine(e), e);
    }
  }

  private static boolean namesAreStrings(Statement s) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT data_type FROM information_schema.columns"
                + " WHERE table_name = 'request_events' AND column_name = 'outcome'")) {
      return rs.next() && rs.getString(1).equals("VARCHAR");
    }
  }

  private static boolean hasColumn(Statement s, String column) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT 1 FROM information_schema.columns"
                + " WHERE table_name = 'request_events' AND column_name = '"
                + column
                + "'")) {
      return rs.next();
    }
  }

  private static void runAll(Statement s, String[] statements) throws SQLException {
    for (String sql : statements) {
      s.execute(sql);
    }
  }

  private static void createParentDirectory(@Nullable Path file) {
    Path parent = file == null ? null : file.toAbsolutePath().getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new StoreUnavailableException("request events: cannot create " + parent, e);
      }
    }
  }

  @Override
  public void appendRequestEvents(List<RequestEvent> events) {
    if (!events.isEmpty()) {
      write("append request events", () -> append(events));
    }
  }

  @Override
  public boolean appendRequestEvents(String batchId, List<RequestEvent> events) {
    return write("append request events", () -> appendOnce(batchId, events));
  }

  /**
   * Appends the batch to the open group, beginning one when none is open; commits the group once it
   * fills a row group ({@link #GROUP_ROWS}), which DuckDB then writes straight to the file instead
   * of through its write-ahead log. Alone, DuckDB spent 3.9 µs of CPU per event at 1,000 events a
   * commit and 2.1-3.2 µs at 10,000 and more; in the gateway the writer's CPU per event fell by
   * about a third (bench/results/events-group-2026-12-04.md).
   */
  @Override
  public boolean appendRequestEventsGrouped(String batchId, List<RequestEvent> events) {
    return appendGrouped("append request events", events.size(), () -> appendOnce(batchId, events));
  }

  /**
   * Appends the events to the open group as {@link #appendRequestEventsGrouped} does, and the
   * file's offset with them: a commit, the group's own when it fills a row group included, stores
   * both or neither. A file's offset is written at its first chunk in the group (a bad id fails
   * that append) and then only once more, just before the commit: the UPDATE cost the indexer 0.3-1
   * ms of CPU at every chunk, whatever its size (bench/results/legs-2026-12-06.md).
   */
  @Override
  public void appendFromFile(String fileId, long offset, List<RequestEvent> events) {
    appendGrouped(
        "append request events from file",
        events.size(),
        () -> {
          append(events);
          if (groupPositions.put(fileId, offset) == null) {
            storePosition(fileId, offset);
          }
          return true;
        });
  }

  /**
   * Runs {@code work} in the open group, beginning one when none is open, and counts {@code size}
   * events into it when the work answers true; rolls the whole group back when it fails.
   */
  private synchronized boolean appendGrouped(String operation, int size, Work<Boolean> work) {
    if (closed) {
      throw failed(operation, new SQLException("closed", "08003"));
    }
    boolean stored;
    try {
      if (!inGroup) {
        try (Statement s = writer.createStatement()) {
          s.execute("BEGIN TRANSACTION");
        }
        inGroup = true;
        groupSeq = nextSeq;
      }
      stored = work.run();
      if (stored) {
        grouped += size;
      }
    } catch (SQLException | RuntimeException e) {
      abandonGroup();
      throw e instanceof SQLException sql ? failed(operation, sql) : (RuntimeException) e;
    }
    if (grouped >= GROUP_ROWS) {
      commitRequestEvents();
    }
    return stored;
  }

  /** In the writer's open transaction: {@code fileId} is stored up to {@code offset}. */
  private void storePosition(String fileId, long offset) throws SQLException {
    long now = micros(Instant.now());
    updatePosition.setLong(1, offset);
    updatePosition.setLong(2, now);
    updatePosition.setString(3, fileId);
    if (updatePosition.executeUpdate() == 0) {
      insertPosition.setString(1, fileId);
      insertPosition.setLong(2, offset);
      insertPosition.setLong(3, now);
      insertPosition.executeUpdate();
    }
  }

  /** Committed state only: a reader does not see the open group. */
  @Override
  public long storedUpTo(String fileId) {
    try (Connection c = reader();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT stored_up_to FROM events_file_positions WHERE file_id = ?")) {
      ps.setString(1, fileId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    } catch (SQLException e) {
      throw failed("read events file position", e);
    }
  }

  @Override
  public synchronized int commitRequestEvents() {
    if (!inGroup) {
      return 0;
    }
    int n = grouped;
    try (Statement s = writer.createStatement()) {
      for (Map.Entry<String, Long> p : groupPositions.entrySet()) {
        storePosition(p.getKey(), p.getValue());
      }
      s.execute("COMMIT");
      groupPositions.clear();
      inGroup = false;
      grouped = 0;
      return n;
    } catch (SQLException e) {
      abandonGroup();
      throw failed("commit request events", e);
    }
  }

  @Override
  public synchronized int uncommittedRequestEvents() {
    return grouped;
  }

  /** Rolls the open group back: none of its events are stored. */
  private void abandonGroup() {
    if (inGroup) {
      nextSeq = groupSeq;
    }
    inGroup = false;
    grouped = 0;
    groupPositions.clear();
    try (Statement s = writer.createStatement()) {
      rollbackQuietly(s);
    } catch (SQLException e) {
      // nothing more to undo
    }
  }

  /** In the writer's open transaction: the batch's id and events, unless the id is stored. */
  private boolean appendOnce(String batchId, List<RequestEvent> events) throws SQLException {
    batchStored.setString(1, batchId);
    try (ResultSet rs = batchStored.executeQuery()) {
      if (rs.next()) {
        return false;
      }
    }
    insertBatch.setString(1, batchId);
    insertBatch.setLong(2, micros(Instant.now()));
    insertBatch.executeUpdate();
    append(events);
    return true;
  }

  /** Appends the rows in the writer's open transaction, numbering them from {@link #nextSeq}. */
  private Boolean append(List<RequestEvent> events) throws SQLException {
    for (RequestEvent e : events) {
      // refused before a row is appended, as the NOT NULL on request_id refused it when every id
      // was a string: a row holds its id in one of two columns now
      if (e.requestId() == null) {
        throw new IllegalArgumentException("a request event without a request id");
      }
    }
    long seq = nextSeq;
    try (DuckDBAppender a =
        writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "request_events")) {
      for (RequestEvent e : events) {
        String id = e.requestId();
        boolean numbered = RequestIds.fits(id);
        a.beginRow().append(seq++).appendEpochMicros(micros(e.time()));
        if (numbered) {
          a.appendNull();
        } else {
          a.append(id);
        }
        a.append(names.id(e.node()));
        appendName(a, e.api());
        a.append(e.method()).append(e.path()).append(e.status()).append(names.id(e.outcome()));
        appendName(a, e.code());
        appendName(a, e.reason());
        a.append(e.keyId())
            .append(e.developerId())
            .append(e.clientIp())
            .append(e.userAgent())
            .append(e.latencyMicros())
            .append(e.upstreamLatencyMicros());
        if (numbered) {
          a.appendHugeInt(RequestIds.low(id), RequestIds.high(id));
        } else {
          a.appendNull();
        }
        a.endRow();
      }
    }
    nextSeq = seq;
    return true;
  }

  private void appendName(DuckDBAppender a, @Nullable String name) throws SQLException {
    if (name == null) {
      a.appendNull();
    } else {
      a.append(names.id(name));
    }
  }

  @Override
  public List<StoredEvent<RequestEvent>> requestEvents(
      EventFilter f, @Nullable EventPosition after, int limit) {
    checkLimit(limit);
    List<String> clauses = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    equalName(clauses, values, "outcome", f.outcome());
    equalName(clauses, values, "code", f.code());
    equal(clauses, values, "developer_id", f.developerId());
    equal(clauses, values, "key_id", f.keyId());
    equalName(clauses, values, "api", f.api());
    if (f.from() != null) {
      clauses.add("occurred_at >= make_timestamp(?)");
      values.add(micros(f.from()));
    }
    if (f.to() != null) {
      clauses.add("occurred_at < make_timestamp(?)");
      values.add(micros(f.to()));
    }
    if (after != null) {
      // the rows after the cursor in (occurred_at DESC, seq DESC) order; the first bound lets a
      // scan skip row groups by their min/max, the second is exact
      long t = micros(after.time());
      clauses.add("occurred_at <= make_timestamp(?)");
      clauses.add("(occurred_at < make_timestamp(?) OR seq < ?)");
      values.add(t);
      values.add(t);
      values.add(after.seq());
    }
    String sql =
        "SELECT "
            + READ_COLUMNS
            + " FROM request_events"
            + (clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses))
            + " ORDER BY occurred_at DESC, seq DESC LIMIT ?";
    try (Connection c = reader();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int p = 0;
      for (Object value : values) {
        ps.setObject(++p, value);
      }
      ps.setInt(++p, limit);
      List<StoredEvent<RequestEvent>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RequestEvent e = read(rs, names);
          out.add(new StoredEvent<>(e, new EventPosition(e.time(), rs.getLong("seq"))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("read request events", e);
    }
  }

  @Override
  public Set<String> requestIds(String node, Instant from, Instant to) {
    String sql =
        "SELECT request_id, request_number FROM request_events WHERE occurred_at >= make_timestamp(?)"
            + " AND occurred_at <= make_timestamp(?) AND node = ?";
    try (Connection c = reader();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, micros(from));
      ps.setLong(2, micros(to));
      ps.setInt(3, names.find(node));
      Set<String> ids = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(requestId(rs));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw failed("read request ids", e);
    }
  }

  private static void equal(
      List<String> clauses, List<Object> values, String column, @Nullable String value) {
    if (value != null) {
      clauses.add(column + " = ?");
      values.add(value);
    }
  }

  /** A number of {@link EventNames} compared: a name never stored matches no event. */
  private void equalName(
      List<String> clauses, List<Object> values, String column, @Nullable String name) {
    if (name != null) {
      clauses.add(column + " = ?");
      values.add(names.find(name));
    }
  }

  /** The row's request id: its string, or the id its number spells. */
  private static String requestId(ResultSet rs) throws SQLException {
    String id = rs.getString("request_id");
    if (id != null) {
      return id;
    }
    BigInteger n = (BigInteger) rs.getObject("request_number");
    return RequestIds.spell(n.longValue(), n.shiftRight(64).longValue());
  }

  private static RequestEvent read(ResultSet rs, EventNames names) throws SQLException {
    return new RequestEvent(
        time(rs.getLong("occurred_us")),
        requestId(rs),
        Objects.requireNonNull(names.name(rs, "node")),
        names.name(rs, "api"),
        rs.getString("method"),
        rs.getString("path"),
        rs.getInt("status"),
        Objects.requireNonNull(names.name(rs, "outcome")),
        names.name(rs, "code"),
        names.name(rs, "reason"),
        rs.getString("key_id"),
        rs.getString("developer_id"),
        rs.getString("client_ip"),
        rs.getString("user_agent"),
        rs.getLong("latency_micros"),
        rs.getLong("upstream_latency_micros"));
  }

  /**
   * Deletes the oldest events before {@code cutoff}, at most {@code limit}; once fewer are left,
   * also the ids of batches stored before {@code cutoff} (a batch that old is no longer delivered)
   * and the offsets of events files last stored to before it, as the JDBC store does.
   */
  @Override
  public int deleteRequestEventsBefore(Instant cutoff, int limit) {
    checkLimit(limit);
    long t = micros(cutoff);
    return write(
        "delete old request events",
        () -> {
          int deleted;
          try (PreparedStatement ps =
              writer.prepareStatement(
                  "DELETE FROM request_events WHERE seq IN (SELECT seq FROM request_events"
                      + " WHERE occurred_at < make_timestamp(?) ORDER BY occurred_at, seq"
                      + " LIMIT ?)")) {
            ps.setLong(1, t);
            ps.setInt(2, limit);
            deleted = ps.executeUpdate();
          }
          if (deleted < limit) {
            try (PreparedStatement ps =
                writer.prepareStatement(
                    "DELETE FROM event_batches WHERE stored_at < make_timestamp(?)")) {
              ps.setLong(1, t);
              ps.executeUpdate();
            }
            try (PreparedStatement ps =
                writer.prepareStatement(
                    "DELETE FROM events_file_positions WHERE stored_at < make_timestamp(?)")) {
              ps.setLong(1, t);
              ps.executeUpdate();
            }
          }
          return deleted;
        });
  }

  /**
   * Checkpoints (the write-ahead log folded into the file, so the next open replays nothing) and
   * closes. Idempotent; every later call fails as unavailable.
   */
  @Override
  public synchronized void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      commitRequestEvents();
    } catch (StoreUnavailableException e) {
      // rolled back: the events file holds them, and the next start gives them to the store
    }
    try (Statement s = writer.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      // the write-ahead log is replayed at the next open instead
    }
    closeQuietly(namesConnection);
    closeQuietly(writer);
  }

  /** Where the events are: the file's absolute path, or {@code memory}. */
  public String location() {
    return where;
  }

  // ---- plumbing

  private interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on the writer connection, under the lock. The transaction
   * is begun explicitly: the Appender writes into the connection's open transaction (and would
   * commit on its own without one), so a batch row and its events commit or roll back together.
   */
  private synchronized <T> T write(String operation, Work<T> work) {
    if (closed) {
      throw failed(operation, new SQLException("closed", "08003"));
    }
    commitRequestEvents(); // an open group first: this work has a transaction of its own
    long seqBefore = nextSeq;
    try (Statement s = writer.createStatement()) {
      s.execute("BEGIN TRANSACTION");
      try {
        T result = work.run();
        s.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException e) {
        nextSeq = seqBefore;
        rollbackQuietly(s);
        throw e;
      }
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  private Connection reader() throws SQLException {
    synchronized (lifecycle) {
      if (closed) {
        throw new SQLException("closed", "08003");
      }
      return writer.duplicate();
    }
  }

  private static void rollbackQuietly(Statement s) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // no transaction left to roll back (DuckDB aborted it already)
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // closing anyway
    }
  }

  private StoreUnavailableException failed(String operation, SQLException e) {
    String state = e.getSQLState();
    return new StoreUnavailableException(
        "store unavailable: "
            + operation
            + " failed"
            + (state == null ? "" : " (SQLState " + state + ")")
            + " in "
            + where,
        e);
  }

  private static String firstLine(SQLException e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static void checkLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }

  /** Microseconds since the epoch, truncated like the JDBC store's times. */
  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  private static Instant time(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
