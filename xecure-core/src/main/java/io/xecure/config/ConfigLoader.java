package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.xecure.policy.bruteforce.BruteForceConfig;
import io.xecure.policy.bruteforce.BruteForceDefinition;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.policy.ratelimit.PlanParser;
import io.xecure.scrub.Scrubber;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the configuration file (SPEC §3) into a validated {@link GatewayConfig}, reporting every
 * problem at once as {@code "<path>: <message>"}.
 *
 * <p>Order of resolution, per value: the environment override, else the file's value after {@code
 * ${VAR}} / {@code ${VAR:-default}} substitution (see {@link Interpolation}), else the default.
 * Unknown fields, duplicate keys and a file that is not a mapping are errors. Scalars are read as
 * the text written ({@code yes} is not true, {@code 0x1F} is not 31; see {@link YamlReader}), and
 * an empty value is absent.
 *
 * <p><b>Environment overrides.</b> A value at path {@code p} is overridden by {@code XECURE_} +
 * {@code p} upper-cased with every run of other characters than letters and digits turned into one
 * {@code _}: {@code admin.token} → {@code XECURE_ADMIN_TOKEN}, {@code gateway.port} → {@code
 * XECURE_GATEWAY_PORT}, {@code apis[0].upstream} → {@code XECURE_APIS_0_UPSTREAM}, {@code
 * plans.free.rate.limit} → {@code XECURE_PLANS_FREE_RATE_LIMIT}. Rules:
 *
 * <ul>
 *   <li>Only names that are a path of the schema apply; any other {@code XECURE_*} is ignored (it
 *       may belong to another part of the product, such as {@code XECURE_TEST_PG_URL}).
 *   <li>Overrides reach scalar values and lists of scalars, never a whole mapping. A list is set
 *       whole with a comma-separated value ({@code XECURE_GATEWAY_TRUSTED_PROXIES=10.0.0.0/8, ::1})
 *       and one item by its index ({@code XECURE_APIS_0_KEY_AUTH_IN_1}) when that item exists in
 *       the file.
 *   <li>The top-level sections, {@code gateway.brute_force}, {@code gateway.limits} and {@code
 *       key_auth} always exist, so their values are always overridable. An API ({@code apis[i]}), a
 *       plan ({@code plans.NAME}) and the optional sections whose presence means something ({@code
 *       cors}, a plan's {@code rate} or {@code quota}, an access rule) must be in the file for
 *       their values to be overridden.
 *   <li>An override is a string, coerced and validated like the file's text, so a bad {@code
 *       XECURE_GATEWAY_PORT=abc} is reported as {@code gateway.port: ...}. It is taken literally:
 *       no <code>${</code> substitution. An empty override unsets the value: the default applies,
 *       whatever the file says ({@code XECURE_CLUSTER_REDIS=} runs a single node).
 * </ul>
 *
 * <p><b>Brute-force guard.</b> {@code gateway: { brute_force: { enabled: true, threshold: 20,
 * window: 1m, block: 5m } }} (these are the defaults): a client IP (an IPv6 client by its /64) that
 * presents {@code threshold} invalid keys within {@code window} of its first one is answered 429
 * {@code too_many_failures} on every API for {@code block}. It sits under {@code gateway} because
 * it guards the data-plane listener as a whole, not one API. {@code threshold} is 1 to 1000000,
 * {@code window} and {@code block} positive durations.
 *
 * <p><b>Limits.</b> {@code gateway: { limits: { header_timeout: 10s, body_idle_timeout: 30s,
 * idle_timeout: 60s, max_header_size: 16KiB, max_uri: 8KiB, max_connections: 10000,
 * response_write_timeout: 60s, buffered_bodies: 64MiB, max_upstream_connections: 512 } }} (these
 * are the defaults, explained in {@link LimitsConfig}): the timeouts are positive durations of at
 * most 1h, the head sizes 1KiB to 1MiB, {@code max_connections} 1 to 1000000, {@code
 * max_upstream_connections} 1 to 100000. The admin listener applies the same limits.
 *
 * <p><b>Retention.</b> {@code retention: { events: 30d, usage: 400d, usage_hours: 60d,
 * usage_minutes: 7d }} (the defaults): request events older than {@code events}, daily usage
 * roll-ups older than {@code usage}, hourly ones older than {@code usage_hours} and per-minute ones
 * older than {@code usage_minutes} are deleted by an hourly job. Each is a duration of at least
 * {@code 1h}, so that a bare {@code 30} (seconds) cannot empty the store by mistake. Left out,
 * {@code usage_hours} is at most {@code usage}, and {@code usage_minutes} at most {@code
 * usage_hours}.
 *
 * <p><b>Alerts.</b> With the defaults written out:
 *
 * <pre>
 * alerts:
 *   detect: [brute_force, usage_spike, key_shared, quota_near, key_leaked]
 *   usage_spike: { factor: 5, min_requests: 100, warmup: 30m }
 *   key_shared:  { max_ips: 20, window: 1h }
 *   quota_near:  { percent: 80 }
 *   webhook:     { url: https://..., secret: ${XECURE_ALERTS_WEBHOOK_SECRET},
 *                  timeout: 5s, retries: 5, backoff: 1s }   # no url: no webhook
 * </pre>
 *
 * {@code detect} lists the alert types raised. {@code brute_force} is raised when the guard above
 * blocks a client, with its threshold. {@code usage_spike}: a key's requests within one minute
 * reach {@code min_requests} (1 to 10^9) and exceed {@code factor} (above 1, at most 1000) times
 * its moving baseline, once the key has been watched for {@code warmup}. {@code key_shared}: a key
 * seen from more than {@code max_ips} (1 to 1000) client networks (IPv6 by /64) within {@code
 * window}. {@code warmup} and {@code window} are 1m to 7d. {@code quota_near}: a request takes a
 * quota window to {@code percent} (1 to 100) of its limit. The webhook needs both {@code url}
 * (absolute http or https) and {@code secret} (at least 16 characters); {@code timeout} (at most
 * 5m) bounds each attempt, {@code retries} (0 to 10) the attempts after the first, {@code backoff}
 * (at most 1h) the first wait, doubled after each failure.
 */
public final class ConfigLoader {
  /** The rule {@link #isName} checks, for messages. */
  public static final String NAME_RULE = Values.NAME_RULE;

  /** A shorter {@code keys.pepper} is refused: a guessable pepper protects no hash. */
  public static final int MIN_PEPPER_BYTES = 16;

  private ConfigLoader() {}

  /** Whether {@code name} may name an API or a plan. */
  public static boolean isName(String name) {
    return Values.isName(name);
  }

  /**
   * Reads and validates {@code file}; a missing file is one problem: "{@code <file>: no such
   * file}".
   */
  public static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
    }
    return parse(yaml, env);
  }

  /** Validates the YAML text; an empty text is a configuration of defaults. */
  public static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    Problems problems = new Problems();
    JsonNode root =
        Interpolation.resolve(YamlReader.read(Interpolation.protect(yaml)), env, problems);
    GatewayConfig config = bind(Section.of(root, "", problems, env));
    problems.throwIfAny();
    return config;
  }

  /**
   * Validates one API as the admin API receives it (same snake_case fields as the file, no
   * environment), with {@code path} as the prefix of every problem's path ("" for none).
   *
   * @param planNames the plans {@code default_plan} may name
   */
  public static ApiConfig parseApi(JsonNode node, Set<String> planNames, String path)
      throws ConfigException {
    requireMapping(node, path);
    Problems problems = new Problems();
    ApiConfig api = ApiParser.parse(Section.of(node, path, problems, Map.of()), planNames);
    problems.throwIfAny();
    return checked(api, path);
  }

  /** Validates one plan as the admin API receives it; see {@link #parseApi}. */
  public static PlanConfig parsePlan(JsonNode node, String path) throws ConfigException {
    requireMapping(node, path);
    Problems problems = new Problems();
    PlanConfig plan = PlanParser.parse(Section.of(node, path, problems, Map.of()));
    problems.throwIfAny();
    return checked(plan, path);
  }

  private static void requireMapping(JsonNode node, String path) throws ConfigException {
    if (!node.isObject()) {
      Problems problems = new Problems();
      problems.add(path, "expected a mapping, got " + BadValue.describe(node));
      problems.throwIfAny();
    }
  }

  private static <T> T checked(@Nullable T value, String path) {
    if (value == null) {
      // a parser returns null only after reporting a problem
      throw new IllegalStateException(path + ": invalid, but no problem was reported");
    }
    return value;
  }

  private static GatewayConfig bind(Section root) {
    ListenConfig gateway = gateway(root.section("gateway"));
    AdminConfig admin = admin(root.section("admin"));
    StoreConfig store = store(root.section("store"));
    ClusterConfig cluster = cluster(root.section("cluster"));
    KeysConfig keys = keys(root.section("keys"));
    RetentionConfig retention = retention(root.section("retention"));
    EventsConfig events = events(root.section("events"), retention.events(), store);
    JsonNode plansNode = root.raw("plans");
    Set<String> planNames = planNames(plansNode);
    Map<String, PlanConfig> plans = plans(plansNode, root);
    List<ApiConfig> apis = apis(root, planNames);
    AlertsConfig alerts = AlertsParser.parse(root.section("alerts"));
    Section portalSection = root.optionalSection("portal");
    PortalConfig portal = portalSection == null ? null : portal(portalSection);
    root.finish();
    return new GatewayConfig(
        gateway, admin, store, cluster, keys, events, plans, apis, retention, alerts, portal);
  }

  /** The developer portal: present only when the file has a {@code portal} mapping. */
  private static PortalConfig portal(Section s) {
    int port = s.get("port", 8082, Values::port);
    String bind = s.get("bind", "127.0.0.1", Values::bindAddress);
    String url = s.optional("url", ConfigLoader::baseUrl);
    String gatewayUrl = s.optional("gateway_url", ConfigLoader::baseUrl);
    s.finish();
    return new PortalConfig(port, bind, url, gatewayUrl);
  }

  /** An absolute http(s) URL without query or fragment, kept without its trailing slash. */
  private static String baseUrl(JsonNode value) throws BadValue {
    String text = Values.text(value).trim();
    try {
      URI uri = new URI(text);
      boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      if (web && uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw BadValue.got("not an absolute http(s) URL without query", text);
  }

  private static ListenConfig gateway(Section s) {
    int port = s.get("port", 8080, Values::port);
    String bind = s.get("bind", "0.0.0.0", Values::bindAddress);
    List<String> proxies = s.list("trusted_proxies", List.of(), Values::cidr);
    Duration grace = s.get("shutdown_grace", Duration.ofSeconds(10), Values::duration);
    BruteForceConfig bruteForce = BruteForceDefinition.parseGateway(s.section("brute_force"));
    TlsConfig tls = TlsParser.parse(s);
    Boolean http2 = s.optional("http2", Values::bool);
    boolean h2c = s.get("h2c", false, Values::bool);
    if (Boolean.TRUE.equals(http2) && s.raw("tls") == null) {
      s.problems().add(s.path("http2"), "needs gateway.tls (HTTP/2 is offered by ALPN over TLS)");
    }
    if (h2c && s.raw("tls") != null) {
      s.problems()
          .add(
              s.path("h2c"),
              "is cleartext HTTP/2; with gateway.tls, HTTP/2 is offered by ALPN (gateway.http2)");
    }
    LimitsConfig limits = LimitsParser.parse(s.section("limits"));
    s.finish();
    return new ListenConfig(port, bind, List.copyOf(proxies), grace, bruteForce)
        .withLimits(limits)
        .withEdge(tls, http2 == null || http2)
        .withH2c(h2c);
  }

  private static AdminConfig admin(Section s) {
    int port = s.get("port", 8081, Values::port);
    String bind = s.get("bind", "127.0.0.1", Values::bindAddress);
    String token = s.optional("token", Values::text);
    String metricsToken = s.optional("metrics_token", Values::text);
    TlsConfig tls = TlsParser.parse(s);
    s.finish();
    // never echo the token: the messages give only its required length
    if (!Values.isLoopback(bind) && (token == null || token.length() < 32)) {
      s.problems()
          .add(
              s.path("token"),
              "required, at least 32 characters, when admin.bind is not a loopback address");
    } else if (token != null && token.length() < 16) {
      s.problems().add(s.path("token"), "must be at least 16 characters");
    }
    if (metricsToken != null && metricsToken.length() < 16) {
      s.problems().add(s.path("metrics_token"), "must be at least 16 characters");
    }
    return new AdminConfig(port, bind, token, metricsToken, tls);
  }

  private static StoreConfig store(Section s) {
    String url = s.get("url", "jdbc:h2:file:./data/xecure", ConfigLoader::jdbcUrl);
    String user = s.optional("user", Values::text);
    String password = s.optional("password", Values::text);
    s.finish();
    return new StoreConfig(url, user, password);
  }

  private static String jdbcUrl(JsonNode value) throws BadValue {
    String url = Values.text(value).trim();
    if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
      throw BadValue.got("must start with jdbc:h2: or jdbc:postgresql:", Values.redact(url));
    }
    return url;
  }

  private static ClusterConfig cluster(Section s) {
    String redis = s.optional("redis", ConfigLoader::redisUrl);
    Duration timeout =
        s.get(
            "limiter_timeout", ClusterConfig.DEFAULT_LIMITER_TIMEOUT, ConfigLoader::limiterTimeout);
    String prefix =
        s.get("key_prefix", ClusterConfig.DEFAULT_KEY_PREFIX, ConfigLoader::keyPrefixOfRedis);
    Duration poll =
        s.get("poll_interval", ClusterConfig.DEFAULT_POLL_INTERVAL, Values::positiveDuration);
    Duration staleness =
        s.get("max_staleness", ClusterConfig.DEFAULT_MAX_STALENESS, Values::positiveDuration);
    boolean push = s.get("push", true, Values::bool);
    Duration heartbeat =
        s.get(
            "heartbeat_interval",
            ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL,
            Values::positiveDuration);
    s.finish();
    return new ClusterConfig(redis, timeout, prefix, poll, staleness, push, heartbeat);
  }

  private static Duration limiterTimeout(JsonNode value) throws BadValue {
    Duration d = Values.positiveDuration(value);
    if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofSeconds(10)) > 0) {
      throw BadValue.got("must be from 1ms to 10s", value);
    }
    return d;
  }

  private static String keyPrefixOfRedis(JsonNode value) throws BadValue {
    String prefix = Values.text(value);
    if (!prefix.matches("[A-Za-z0-9_:.-]{1,64}")) {
      throw BadValue.got("must be 1 to 64 characters of A-Z, a-z, 0-9, _, :, . and -", value);
    }
    return prefix;
  }

  /**
   * One {@code redis://} URL, or several separated by commas: the seed nodes of a Redis Cluster.
   */
  private static String redisUrl(JsonNode value) throws BadValue {
    String urls = Values.text(value).trim();
    for (String url : urls.split(",", -1)) {
      oneRedisUrl(url.trim());
    }
    return urls;
  }

  private static void oneRedisUrl(String url) throws BadValue {
    try {
      var uri = new URI(url);
      String scheme = String.valueOf(uri.getScheme());
      if ((scheme.equals("redis") || scheme.equals("rediss")) && uri.getHost() != null) {
        return;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw BadValue.got("must be a redis:// or rediss:// URL with a host", Values.redact(url));
  }

  private static KeysConfig keys(Section s) {
    String prefix = s.get("prefix", "xk_", ConfigLoader::keyPrefix);
    String pepper = s.optional("pepper", Values::text);
    // never echo the pepper: the message gives only its required length
    if (pepper != null && pepper.getBytes(StandardCharsets.UTF_8).length < MIN_PEPPER_BYTES) {
      s.problems()
          .add(
              s.path("pepper"),
              "must be at least "
                  + MIN_PEPPER_BYTES
                  + " bytes (a random secret, e.g. openssl rand -base64 32)");
    }
    s.finish();
    return new KeysConfig(prefix, pepper);
  }

  private static String keyPrefix(JsonNode value) throws BadValue {
    String prefix = Values.text(value);
    if (!prefix.matches("[A-Za-z0-9_]{0,15}_")) {
      throw BadValue.got("must be 1 to 16 characters of A-Z, a-z, 0-9 and _, ending with _", value);
    }
    return prefix;
  }

  private static EventsConfig events(Section s, Duration retention, StoreConfig store) {
    boolean enabled = s.get("enabled", true, Values::bool);
    String file = s.optional("file", Values::text);
    boolean accessLog = s.get("access_log", true, Values::bool);
    long maxSize = s.get("max_file_size", EventsConfig.DEFAULT_MAX_FILE_SIZE, Values::size);
    Duration maxAge =
        s.get("max_file_age", EventsConfig.DEFAULT_MAX_FILE_AGE, Values::positiveDuration);
    String spool = s.get("spool_dir", EventsConfig.DEFAULT_SPOOL_DIR, ConfigLoader::directory);
    List<String> redact = s.list("redact_params", Scrubber.DEFAULT_PARAMS, ConfigLoader::paramName);
    EventsConfig.Engine engine = s.optional("engine", ConfigLoader::eventsEngine);
    if (engine == EventsConfig.Engine.DUCKDB && !store.url().startsWith("jdbc:h2:")) {
      s.problems()
          .add(
              s.path("engine"),
              "duckdb keeps events in one node's file: with a PostgreSQL store (a cluster) use"
                  + " store, so every node's events are in one shared place");
    }
    Section duck = s.section("duckdb");
    String duckFile = duck.optional("file", Values::filePath);
    long memory =
        duck.get(
            "memory_limit", EventsConfig.DEFAULT_DUCKDB_MEMORY_LIMIT, ConfigLoader::duckMemory);
    duck.finish();
    Duration maxLag =
        s.get("max_store_lag", EventsConfig.DEFAULT_MAX_STORE_LAG, Values::positiveDuration);
    s.finish();
    return new EventsConfig(
        enabled, file, accessLog, maxSize, maxAge, spool, retention, redact, engine, duckFile,
        memory, maxLag);
  }

  private static EventsConfig.Engine eventsEngine(JsonNode value) throws BadValue {
    String text = Values.text(value).trim();
    for (EventsConfig.Engine engine : EventsConfig.Engine.values()) {
      if (engine.wire().equals(text)) {
        return engine;
      }
    }
    throw BadValue.got("must be duckdb or store", value);
  }

  private static long duckMemory(JsonNode value) throws BadValue {
    long bytes = Values.size(value);
    if (bytes < 16L << 20) {
      throw BadValue.got("must be at least 16MiB", value);
    }
    return bytes;
  }

  /** A query parameter's name: 1 to 64 visible ASCII characters, none that ends a name. */
  private static String paramName(JsonNode value) throws BadValue {
    String name = Values.text(value);
    boolean ok = !name.isEmpty() && name.length() <= 64;
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = c > ' ' && c < 0x7F && "&=#?;%\"\\".indexOf(c) < 0;
    }
    if (!ok) {
      throw BadValue.got(
          "must be a query parameter name: 1 to 64 visible ASCII characters, without & = # ? ; %",
          value);
    }
    return name;
  }

  private static String directory(JsonNode value) throws BadValue {
    String text = Values.text(value).trim();
    if (text.isEmpty() || text.indexOf('\0') >= 0) {
      throw BadValue.got("must be a directory path", value);
    }
    return text;
  }

  private static RetentionConfig retention(Section s) {
    RetentionConfig d = RetentionConfig.DEFAULT;
    Duration events = s.get("events", d.events(), ConfigLoader::retention);
    Duration usage = s.get("usage", d.usage(), ConfigLoader::retention);
    Duration changes = s.get("changes", d.changes(), ConfigLoader::retention);
    Duration hours =
        s.get(
            "usage_hours",
            RetentionConfig.shorter(RetentionConfig.DEFAULT_USAGE_HOURS, usage),
            ConfigLoader::retention);
    Duration minutes =
        s.get(
            "usage_minutes",
            RetentionConfig.shorter(RetentionConfig.DEFAULT_USAGE_MINUTES, hours),
            ConfigLoader::retention);
    s.finish();
    return new RetentionConfig(events, usage, changes, hours, minutes);
  }

  private static Duration retention(JsonNode value) throws BadValue {
    Duration d;
    try {
      d = Values.duration(value);
    } catch (BadValue e) {
      d = Duration.ZERO;
    }
    if (d.compareTo(RetentionConfig.MINIMUM) < 0) {
      throw BadValue.got("must be a duration of at least 1h, such as 30d or 400d", value);
    }
    return d;
  }

  private static Set<String> planNames(@Nullable JsonNode plans) {
    Set<String> names = new LinkedHashSet<>();
    if (plans != null && plans.isObject()) {
      plans.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static Map<String, PlanConfig> plans(@Nullable JsonNode node, Section root) {
    Map<String, PlanConfig> plans = new LinkedHashMap<>();
    if (node == null) {
      return plans;
    }
    if (!node.isObject()) {
      root.problems().add("plans", "expected a mapping, got " + BadValue.describe(node));
      return plans;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String path = Problems.field("plans", entry.getKey());
      if (!Values.isName(entry.getKey())) {
        root.problems().add(path, "a plan name " + Values.NAME_RULE);
      }
      if (!entry.getValue().isObject() && !entry.getValue().isNull()) {
        root.problems().add(path, "expected a mapping, got " + BadValue.describe(entry.getValue()));
        continue;
      }
      PlanConfig plan = PlanParser.parse(root.child(entry.getValue(), path));
      if (plan != null) {
        plans.put(entry.getKey(), plan);
      }
    }
    return Collections.unmodifiableMap(plans);
  }

  private static List<ApiConfig> apis(Section root, Set<String> planNames) {
    List<ApiConfig> apis = new ArrayList<>();
    Map<String, String> byName = new HashMap<>();
    Map<String, String> byPath = new HashMap<>();
    root.eachSection(
        "apis",
        section -> {
          ApiConfig api = ApiParser.parse(section, planNames);
          if (api != null) {
            unique(byName, api.name(), section.path("name"), section);
            unique(byPath, api.path(), section.path("path"), section);
            apis.add(api);
          }
        });
    return List.copyOf(apis);
  }

  private static void unique(Map<String, String> seen, String value, String path, Section api) {
    String first = seen.putIfAbsent(value, api.path());
    if (first != null) {
      api.problems().add(path, BadValue.quote(value) + " is already used by " + first);
    }
  }
}
