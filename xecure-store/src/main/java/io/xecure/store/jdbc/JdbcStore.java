package io.xecure.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.xecure.events.RequestEvent;
import io.xecure.model.Alert;
import io.xecure.model.AlertType;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.KeyHash;
import io.xecure.model.Operator;
import io.xecure.model.OperatorToken;
import io.xecure.store.AdminEvent;
import io.xecure.store.AlertStore;
import io.xecure.store.ChangeLog;
import io.xecure.store.ConfigChange;
import io.xecure.store.DeveloperEdit;
import io.xecure.store.EventFilter;
import io.xecure.store.EventPosition;
import io.xecure.store.KeyEdit;
import io.xecure.store.KeyFilter;
import io.xecure.store.NodeStore;
import io.xecure.store.OperatorStore;
import io.xecure.store.Page;
import io.xecure.store.PortalStore;
import io.xecure.store.PortalStore.Account;
import io.xecure.store.PortalStore.Allowance;
import io.xecure.store.PortalStore.Invitation;
import io.xecure.store.PortalStore.Session;
import io.xecure.store.Store;
import io.xecure.store.StoreUnavailableException;
import io.xecure.store.StoredEvent;
import io.xecure.usage.KeyUse;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageRow;
import io.xecure.usage.UsageSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Store} on H2 (embedded, {@code jdbc:h2:file:./data/xecure} or {@code jdbc:h2:mem:}) or
 * PostgreSQL ({@code jdbc:postgresql://host/db}), through a small HikariCP pool, with the schema
 * migrated by Flyway on open.
 *
 * <p>Times are kept to the microsecond (PostgreSQL's precision): an {@link java.time.Instant} reads
 * back truncated to micros. A deleted developer is hidden from every read but keeps its row, so its
 * revoked keys still name it for audit. A constraint or data error (a duplicate, an unknown
 * developer, a value longer than its column) is an {@link IllegalArgumentException}; every other
 * failure is a {@link StoreUnavailableException}.
 */
public final class JdbcStore
    implements Store, AlertStore, OperatorStore, PortalStore, ChangeLog, NodeStore {
  /** Attempts of a raise that races another node opening the same alert. */
  private static final int RAISE_ATTEMPTS = 3;

  /** Rows per round trip when streaming: large enough to be fast, small enough to stream. */
  static final int FETCH_SIZE = 1000;

  private static final int MAX_POOL = 8;

  static {
    // H2 passes every string it reads through a process-wide cache to share equal ones: a hash and
    // a compare per value, 12 % of the CPU of loading a million keys, for sharing the index does
    // itself where it pays (developer ids, plans). Read once, when H2's first class loads; a
    // -Dh2.objectCache given on the command line wins.
    if (System.getProperty("h2.objectCache") == null) {
      System.setProperty("h2.objectCache", "false");
    }
  }

  // an unreachable store must answer 503 within seconds, not hang a worker for 30 s
  private static final long CONNECTION_TIMEOUT_MS = 3_000;
  private static final long VALIDATION_TIMEOUT_MS = 1_000;

  private final HikariDataSource pool;
  private final Sql sql;
  private final KeyBulkInsert bulk;
  private final boolean embeddedH2;
  private final JdbcUrls.Target target;
  private final @Nullable String user;
  private final @Nullable String password;
  // PostgreSQL: every change also goes out as a NOTIFY on this channel, at commit; null on H2
  private final @Nullable String channel;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcStore(
      HikariDataSource pool,
      JdbcUrls.Target target,
      @Nullable String user,
      @Nullable String password,
      @Nullable String channel) {
    this.pool = pool;
    this.sql = new Sql(pool);
    this.embeddedH2 = target.embeddedH2();
    this.target = target;
    this.user = user;
    this.password = password;
    this.channel = channel;
    this.bulk = new KeyBulkInsert(sql, channel);
  }

  /**
   * Connects, migrates the schema and returns the store.
   *
   * @throws IllegalArgumentException when the URL names neither H2 nor PostgreSQL
   * @throws StoreUnavailableException when the database cannot be reached or migrated
   */
  public static JdbcStore open(String jdbcUrl, @Nullable String user, @Nullable String password) {
    JdbcUrls.Target target = JdbcUrls.resolve(jdbcUrl);
    createParentDirectory(target.h2File());
    HikariDataSource pool = connect(target, user, password);
    try {
      migrate(pool);
      String channel = target.postgres() ? ChangeRows.channel(currentSchema(pool)) : null;
      return new JdbcStore(pool, target, user, password, channel);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static void createParentDirectory(@Nullable Path h2File) {
    Path parent = h2File == null ? null : h2File.toAbsolutePath().getParent();
    if (parent == null) {
      return;
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot create the store directory " + parent, e);
    }
  }

  private static HikariDataSource connect(
      JdbcUrls.Target target, @Nullable String user, @Nullable String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("xecure-store");
    config.setJdbcUrl(target.url());
    // named explicitly so a shaded jar works even if its META-INF/services were not merged
    config.setDriverClassName(target.driverClass());
    config.setDataSourceProperties(target.driverProperties());
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(MAX_POOL);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    config.setValidationTimeout(VALIDATION_TIMEOUT_MS);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "store unreachable: cannot open a connection" + StoreErrors.stateOf(e), e);
    }
  }

  private static void migrate(HikariDataSource pool) {
    try {
      Flyway.configure(JdbcStore.class.getClassLoader())
          .dataSource(pool)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreUnavailableException("store schema migration failed", e);
    }
  }

  /**
   * The schema this store's tables are in: deployments sharing one PostgreSQL database in different
   * schemas each get a NOTIFY channel of their own, so one never wakes the other.
   */
  private static String currentSchema(HikariDataSource pool) {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT current_schema()")) {
      String schema = rs.next() ? rs.getString(1) : null;
      return schema == null ? "public" : schema;
    } catch (SQLException e) {
      throw StoreErrors.translate("read current schema", "schema", e);
    }
  }

  /**
   * Whether the database runs inside this process (H2): its data is this node's alone.
   *
   * @see #embeddedFile()
   */
  public boolean embedded() {
    return embeddedH2;
  }

  /** The embedded H2 database's file, without extension; null in memory or on PostgreSQL. */
  public @Nullable Path embeddedFile() {
    return target.h2File();
  }

  /** The NOTIFY channel of this store's change feed; null when it cannot push (H2). */
  public @Nullable String channel() {
    return channel;
  }

  /** Appends the admin event of a change in the change's own transaction. */
  private static void audit(Connection c, @Nullable AdminEvent event) throws SQLException {
    if (event != null) {
      Events.appendAdmin(c, event);
    }
  }

  @Override
  public Developer insertDeveloper(Developer d, @Nullable AdminEvent audit) {
    sql.write(
        "insert developer",
        "developer",
        c -> {
          Developers.insert(c, d);
          audit(c, audit);
          ChangeRows.append(c, channel, Subject.DEVELOPER, d.id(), Instant.now());
        });
    // what a later read returns: the stored time has microsecond precision
    return new Developer(
        d.id(), d.name(), d.email(), d.status(), d.createdAt().truncatedTo(ChronoUnit.MICROS));
  }

  @Override
  public Optional<Developer> developer(String id) {
    return sql.read("read developer", c -> Developers.find(c, id));
  }

  @Override
  public Page<Developer> developers(int limit, @Nullable String cursor) {
    Columns.checkLimit(limit);
    List<Developer> rows = sql.read("list developers", c -> Developers.after(c, cursor, limit));
    return Columns.page(rows, limit, Developer::id);
  }

  @Override
  public Optional<Developer> editDeveloper(
      String id, DeveloperEdit edit, @Nullable AdminEvent audit) {
    return sql.transaction(
        "update developer",
        "developer",
        c -> {
          if (!Developers.edit(c, id, edit)) {
            return Optional.empty();
          }
          audit(c, audit);
          ChangeRows.append(c, channel, Subject.DEVELOPER, id, Instant.now());
          return Developers.find(c, id);
        });
  }

  @Override
  public Optional<List<String>> deleteDeveloper(
      String id, Instant now, @Nullable Function<List<String>, AdminEvent> audit) {
    return sql.transaction(
        "delete developer",
        "developer",
        c -> {
          if (!Developers.markDeleted(c, id, now)) {
            return Optional.empty();
          }
          List<String> revoked = Keys.revokeAllOf(c, id);
          audit(c, audit == null ? null : audit.apply(revoked));
          ChangeRows.append(c, channel, Subject.KEY, revoked, now);
          ChangeRows.append(c, channel, Subject.DEVELOPER, id, now);
          return Optional.of(revoked);
        });
  }

  @Override
  public void insertOperator(Operator operator, @Nullable String passwordHash) {
    sql.write("insert operator", "operator", c -> Operators.insert(c, operator, passwordHash));
  }

  @Override
  public Optional<Operator> operator(String id) {
    return sql.read("read operator", c -> Operators.byId(c, id));
  }

  @Override
  public Optional<Credentials> credentials(String email) {
    return sql.read("read operator", c -> Operators.credentials(c, email));
  }

  @Override
  public Page<Operator> operators(int limit, @Nullable String cursor) {
    Columns.checkLimit(limit);
    List<Operator> rows = sql.read("list operators", c -> Operators.after(c, cursor, limit));
    return Columns.page(rows, limit, Operator::id);
  }

  @Override
  public Optional<Operator> updateOperator(Operator operator) {
    return sql.transaction(
        "update operator",
        "operator",
        c ->
            Operators.update(c, operator)
                ? Operators.byId(c, operator.id())
                : Optional.<Operator>empty());
  }

  @Override
  public boolean setOperatorPassword(String id, String passwordHash) {
    return sql.transaction(
        "set operator password", "operator", c -> Operators.setPassword(c, id, passwordHash));
  }

  @Override
  public boolean deleteOperator(String id) {
    return sql.transaction("delete operator", "operator", c -> Operators.delete(c, id));
  }

  @Override
  public void insertOperatorToken(OperatorToken token, String hash) {
    sql.write("insert operator token", "token", c -> Operators.insertToken(c, token, hash));
  }

  @Override
  public List<OperatorToken> operatorTokens(String operatorId, OperatorToken.Kind kind) {
    return sql.read("list operator tokens", c -> Operators.tokens(c, operatorId, kind));
  }

  @Override
  public Optional<Grant> operatorTokenByHash(String hash) {
    return sql.read("read operator token", c -> Operators.byHash(c, hash));
  }

  @Override
  public boolean revokeOperatorToken(String operatorId, String tokenId, Instant at) {
    return sql.transaction(
        "revoke operator token", "token", c -> Operators.revoke(c, operatorId, tokenId, at));
  }

  @Override
  public void touchOperatorToken(String tokenId, Instant at) {
    sql.write("touch operator token", "token", c -> Operators.touch(c, tokenId, at));
  }

  @Override
  public void insertInvitation(Invitation invitation, String tokenHash) {
    sql.write(
        "insert invitation", "invitation", c -> Portal.insertInvitation(c, invitation, tokenHash));
  }

  @Override
  public Optional<Invitation> invitationByHash(String tokenHash) {
    return sql.read("read invitation", c -> Portal.invitationByHash(c, tokenHash));
  }

  @Override
  public Optional<Account> acceptInvitation(
      String invitationId, Instant at, String email, String passwordHash) {
    return sql.transaction(
        "accept invitation",
        "portal account",
        c -> {
          Optional<String> developer = Portal.use(c, invitationId, at);
          if (developer.isEmpty()) {
            return Optional.<Account>empty();
          }
          return Optional.of(Portal.setAccount(c, developer.get(), email, passwordHash, at));
        });
  }

  @Override
  public Optional<Account> portalAccount(String developerId) {
    return sql.read("read portal account", c -> Portal.account(c, developerId));
  }

  @Override
  public Optional<PortalStore.AccountCredentials> portalCredentials(String email) {
    return sql.read("read portal account", c -> Portal.credentials(c, email));
  }

  @Override
  public void insertPortalSession(Session session, String tokenHash) {
    sql.write("insert portal session", "session", c -> Portal.insertSession(c, session, tokenHash));
  }

  @Override
  public Optional<Session> portalSessionByHash(String tokenHash) {
    return sql.read("read portal session", c -> Portal.sessionByHash(c, tokenHash));
  }

  @Override
  public void touchPortalSession(String sessionId, Instant at) {
    sql.write("touch portal session", "session", c -> Portal.touchSession(c, sessionId, at));
  }

  @Override
  public boolean revokePortalSession(String sessionId, Instant at) {
    return sql.transaction(
        "revoke portal session", "session", c -> Portal.revokeSession(c, sessionId, at));
  }

  @Override
  public Optional<Allowance> allowance(String developerId) {
    return sql.read("read allowance", c -> Portal.allowance(c, developerId));
  }

  @Override
  public void putAllowance(String developerId, Allowance allowance) {
    sql.write("put allowance", "allowance", c -> Portal.putAllowance(c, developerId, allowance));
  }

  @Override
  public void insertKey(ApiKeyRecord key, @Nullable AdminEvent audit) {
    sql.write(
        "insert key",
        "key",
        c -> {
          Keys.insert(c, key);
          audit(c, audit);
          ChangeRows.append(c, channel, Subject.KEY, key.id(), Instant.now());
        });
  }

  @Override
  public int insertKeyWithin(
      ApiKeyRecord key, int maxActive, Instant now, @Nullable AdminEvent audit) {
    return sql.transaction(
        "insert key",
        "key",
        c -> {
          // the lock first: a concurrent call for this developer counts after this one commits
          Developers.lock(c, key.developerId());
          int active = Keys.countActive(c, key.developerId(), now);
          if (active < maxActive) {
            Keys.insert(c, key);
            audit(c, audit);
            ChangeRows.append(c, channel, Subject.KEY, key.id(), Instant.now());
          }
          return active;
        });
  }

  @Override
  public boolean[] insertKeys(List<ApiKeyRecord> keys) {
    return bulk.insert(keys);
  }

  @Override
  public Optional<ApiKeyRecord> key(String id) {
    return sql.read("read key", c -> Keys.byId(c, id));
  }

  @Override
  public Optional<ApiKeyRecord> keyByHash(KeyHash hash) {
    return sql.read("read key", c -> Keys.byHash(c, hash));
  }

  @Override
  public Page<ApiKeyRecord> keys(KeyFilter filter, int limit, @Nullable String cursor) {
    Columns.checkLimit(limit);
    List<ApiKeyRecord> rows = sql.read("list keys", c -> Keys.after(c, filter, cursor, limit));
    return Columns.page(rows, limit, ApiKeyRecord::id);
  }

  @Override
  public Optional<ApiKeyRecord> revokeKey(String id, @Nullable AdminEvent audit) {
    return keyChange("revoke key", id, c -> Keys.revoke(c, id), audit);
  }

  @Override
  public Optional<ApiKeyRecord> editKey(String id, KeyEdit edit, @Nullable AdminEvent audit) {
    return keyChange("update key", id, c -> Keys.edit(c, id, edit), audit);
  }

  private Optional<ApiKeyRecord> keyChange(
      String operation, String id, SqlWork<Boolean> change, @Nullable AdminEvent audit) {
    return sql.transaction(
        operation,
        "key",
        c -> {
          if (!change.run(c)) {
            return Optional.empty();
          }
          audit(c, audit);
          ChangeRows.append(c, channel, Subject.KEY, id, Instant.now());
          return Keys.byId(c, id);
        });
  }

  @Override
  public Optional<ApiKeyRecord> rotateKey(
      String id,
      ApiKeyRecord successor,
      Instant graceUntil,
      boolean revokeNow,
      @Nullable AdminEvent audit) {
    return sql.transaction(
        "rotate key",
        "key",
        c -> {
          if (!Keys.retire(c, id, graceUntil, revokeNow)) {
            return Optional.empty();
          }
          Keys.insert(c, successor);
          audit(c, audit);
          ChangeRows.append(c, channel, Subject.KEY, List.of(successor.id(), id), Instant.now());
          return Keys.byId(c, id);
        });
  }

  // ---- the change feed

  /**
   * Reads the sequence first, then streams: every change up to it committed before, so what is
   * streamed is at least that new. One REPEATABLE READ snapshot besides (no key without its
   * developer).
   */
  @Override
  public long loadSnapshot(Consumer<Developer> developers, Consumer<ApiKeyRecord> keys) {
    long[] at = new long[1];
    sql.snapshot(
        "load all",
        c -> {
          at[0] = ChangeRows.latest(c);
          Developers.streamAll(c, developers);
          Keys.streamAll(c, keys);
        });
    return at[0];
  }

  @Override
  public int keyCountHint() {
    return sql.read("count keys", Keys::count);
  }

  @Override
  public Batch changesAfter(long after, int limit) {
    Columns.checkLimit(limit);
    return sql.read("read changes", c -> ChangeRows.after(c, after, limit));
  }

  @Override
  public long latestSequence() {
    return sql.read("read change sequence", ChangeRows::latest);
  }

  @Override
  public Subscription subscribe(Listener listener) {
    String ch = channel;
    if (ch == null) {
      return Subscription.NONE;
    }
    return ChangeListener.start(target, user, password, ch, listener);
  }

  /**
   * Keeps the latest change always, so a reader far behind finds a gap rather than an empty feed
   * (see {@link ChangeLog#deleteChangesBefore}).
   */
  @Override
  public int deleteChangesBefore(Instant cutoff, long atMost, int limit) {
    Columns.checkLimit(limit);
    return sql.transaction(
        "delete old changes", "change", c -> ChangeRows.deleteBefore(c, cutoff, atMost, limit));
  }

  @Override
  public void appendAdminEvent(AdminEvent event) {
    sql.write("append admin event", "event", c -> Events.appendAdmin(c, event));
  }

  /** One transaction of multi-row INSERTs (a few hundred rows per statement). */
  @Override
  public void appendRequestEvents(List<RequestEvent> events) {
    if (!events.isEmpty()) {
      sql.write("append request events", "event", c -> Events.appendRequests(c, events));
    }
  }

  @Override
  public boolean appendRequestEvents(String batchId, List<RequestEvent> events) {
    Instant now = Instant.now();
    return sql.transaction(
        "append request events", "event", c -> Events.appendBatch(c, batchId, now, events));
  }

  /** Not grouped: the events and the offset commit at once, in one transaction. */
  @Override
  public void appendFromFile(String fileId, long offset, List<RequestEvent> events) {
    Instant now = Instant.now();
    sql.write(
        "append request events from file",
        "event",
        c -> Events.appendFromFile(c, fileId, offset, now, events));
  }

  @Override
  public long storedUpTo(String fileId) {
    return sql.read("read events file position", c -> Events.storedUpTo(c, fileId));
  }

  @Override
  public List<StoredEvent<RequestEvent>> requestEvents(
      EventFilter filter, @Nullable EventPosition after, int limit) {
    Columns.checkLimit(limit);
    return sql.read("read request events", c -> Events.requests(c, filter, after, limit));
  }

  @Override
  public Set<String> requestIds(String node, Instant from, Instant to) {
    return sql.read("read request ids", c -> Events.requestIds(c, node, from, to));
  }

  @Override
  public List<StoredEvent<AdminEvent>> adminEvents(
      EventFilter filter, @Nullable EventPosition after, int limit) {
    Columns.checkLimit(limit);
    return sql.read("read admin events", c -> Events.admin(c, filter, after, limit));
  }

  @Override
  public List<ConfigChange> configChanges() {
    return sql.read("read runtime config", RuntimeConfig::all);
  }

  @Override
  public void putConfigChange(ConfigChange change, @Nullable AdminEvent audit) {
    sql.write(
        "write runtime config",
        "runtime config",
        c -> {
          RuntimeConfig.put(c, change);
          audit(c, audit);
          ChangeRows.append(c, channel, subject(change.kind()), change.name(), Instant.now());
        });
  }

  @Override
  public void deleteConfigChange(ConfigChange.Kind kind, String name, @Nullable AdminEvent audit) {
    sql.write(
        "delete runtime config",
        "runtime config",
        c -> {
          RuntimeConfig.delete(c, kind, name);
          audit(c, audit);
          ChangeRows.append(c, channel, subject(kind), name, Instant.now());
        });
  }

  private static Subject subject(ConfigChange.Kind kind) {
    return kind == ConfigChange.Kind.API ? Subject.API : Subject.PLAN;
  }

  @Override
  public void addUsage(List<UsageRow> rows) {
    if (!rows.isEmpty()) {
      sql.write("add usage", "usage", c -> Usage.add(c, rows));
    }
  }

  @Override
  public void recordKeyUses(List<KeyUse> uses) {
    if (!uses.isEmpty()) {
      sql.write("record key uses", "key", c -> Usage.recordUses(c, uses));
    }
  }

  @Override
  public UsageSeries.Result usage(UsageQuery query) {
    Columns.checkLimit(query.limit());
    return sql.read("read usage", c -> Usage.query(c, query));
  }

  @Override
  public int deleteRequestEventsBefore(Instant cutoff, int limit) {
    Columns.checkLimit(limit);
    return sql.transaction(
        "delete old request events", "event", c -> Events.deleteRequestsBefore(c, cutoff, limit));
  }

  @Override
  public int deleteUsageBefore(UsageInterval grain, Instant cutoff, int limit) {
    Columns.checkLimit(limit);
    return sql.transaction(
        "delete old usage", "usage", c -> Retention.usage(c, grain, cutoff, limit));
  }

  // ---- nodes

  @Override
  public void heartbeat(Node node) {
    sql.write("record heartbeat", "node", c -> NodeRows.put(c, node));
  }

  @Override
  public List<Node> nodes() {
    return sql.read("list nodes", NodeRows::all);
  }

  @Override
  public int forgetNodesBefore(Instant cutoff) {
    return sql.transaction("forget nodes", "node", c -> NodeRows.deleteBefore(c, cutoff));
  }

  // ---- alerts

  /**
   * Counts into the open alert, else opens one, in one transaction. When another node opens the
   * same alert between this one's update and insert, the insert fails on open_key's unique
   * constraint and the whole transaction is retried: it then finds that alert open.
   */
  @Override
  public Raised raiseAlert(
      String newId, AlertType type, String subject, String detail, Instant at) {
    String openKey = Alerts.openKey(type, subject);
    for (int attempt = 1; ; attempt++) {
      try {
        return sql.transaction(
            "raise alert",
            "alert",
            c -> {
              if (Alerts.countIntoOpen(c, openKey, detail, at)) {
                return new Raised(Alerts.byOpenKey(c, openKey).orElseThrow(), false);
              }
              Alerts.insertOpen(c, newId, type, subject, detail, at);
              return new Raised(Alerts.byId(c, newId).orElseThrow(), true);
            });
      } catch (IllegalArgumentException e) {
        if (attempt >= RAISE_ATTEMPTS || !"duplicate alert".equals(e.getMessage())) {
          throw e;
        }
      }
    }
  }

  @Override
  public Optional<Alert> alert(String id) {
    return sql.read("read alert", c -> Alerts.byId(c, id));
  }

  @Override
  public Page<Alert> alerts(
      Alert.@Nullable Status status, @Nullable AlertType type, int limit, @Nullable String cursor) {
    Columns.checkLimit(limit);
    List<Alert> rows = sql.read("list alerts", c -> Alerts.before(c, status, type, cursor, limit));
    return Columns.page(rows, limit, Alert::id);
  }

  @Override
  public Optional<Acknowledged> acknowledgeAlert(String id, String actor, Instant at) {
    return sql.transaction("acknowledge alert", "alert", c -> Alerts.acknowledge(c, id, actor, at));
  }

  /**
   * Closes the pool; an embedded H2 database is shut down first, so its file is closed cleanly and
   * an in-memory one is freed. Idempotent; every later call fails as unavailable.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (embeddedH2) {
      shutdownH2();
    }
    pool.close();
  }

  private void shutdownH2() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // already unreachable: closing the pool is all that is left to do
    }
  }
}
