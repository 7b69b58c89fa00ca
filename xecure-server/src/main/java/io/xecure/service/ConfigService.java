package io.xecure.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xecure.config.ApiConfig;
import io.xecure.config.ConfigException;
import io.xecure.config.ConfigJson;
import io.xecure.config.ConfigLoader;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.store.AdminEvent;
import io.xecure.store.ConfigChange;
import io.xecure.store.ConfigChange.Kind;
import io.xecure.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runtime changes to APIs and plans (SPEC §6: {@code PUT/DELETE /admin/apis/{name}}, {@code PUT
 * /admin/plans/{name}}). Each change is validated as the configuration loader validates the file,
 * against the current APIs and plans, then stored (with its entry in the change feed), then applied
 * by the node's change applier, which swaps in one new routing snapshot ({@link #reload}), as it
 * does on every other node, then audited. Changes are serialised, so two of them never build on the
 * same snapshot; requests in flight finish on the snapshot they started with.
 *
 * <p><b>Persistence.</b> A change is kept in the store and applied over the configuration file at
 * the next start-up, as long as the file's own definition of that API or plan is still the one the
 * change replaced. When the file's definition changes (a deploy from git), the file wins and the
 * runtime change is dropped with a warning and an audit event: the file stays the declarative
 * source. A change back to exactly the file's definition simply forgets the runtime change.
 *
 * <p>Futures fail with {@link ConfigRejectedException} (invalid, 422), {@link ServiceException}
 * (unknown API, 404) or {@link io.xecure.store.StoreUnavailableException}; a failed change changes
 * nothing.
 */
public final class ConfigService {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigService.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** Where the APIs and plans in force live: the routing snapshot. */
  public interface Target {
    List<ApiConfig> apis();

    Map<String, PlanConfig> plans();

    /** Builds a whole new snapshot from these and makes it current. */
    void replace(List<ApiConfig> apis, Map<String, PlanConfig> plans);
  }

  /** A definition in force after a PUT, and whether the PUT created it. */
  public record Put<T>(String name, T config, boolean created) {}

  private final Vertx vertx;
  private final Store store;
  private final Target target;
  private final Map<String, ApiConfig> fileApis = new LinkedHashMap<>();
  private final Map<String, PlanConfig> filePlans;
  private final Clock clock;
  private final Audit audit;
  private final Runnable applyCommitted;
  private final Object changing = new Object();

  /**
   * @param fileApis the APIs of the configuration file, as loaded at start-up
   * @param filePlans the plans of the configuration file
   * @param applyCommitted applies the change just stored (the node's change applier, which calls
   *     {@link #reload})
   */
  public ConfigService(
      Vertx vertx,
      Store store,
      Target target,
      List<ApiConfig> fileApis,
      Map<String, PlanConfig> filePlans,
      Clock clock,
      Runnable applyCommitted) {
    this.applyCommitted = applyCommitted;
    this.vertx = vertx;
    this.store = store;
    this.target = target;
    fileApis.forEach(a -> this.fileApis.put(a.name(), a));
    this.filePlans = Map.copyOf(filePlans);
    this.clock = clock;
    this.audit = new Audit(store, clock);
  }

  public List<ApiConfig> apis() {
    return target.apis();
  }

  public Map<String, PlanConfig> plans() {
    return target.plans();
  }

  /**
   * Start-up, before serving: makes the file's APIs and plans with the stored runtime changes
   * current. Blocks (store). Returns one warning per runtime change dropped because the file's
   * definition moved on or the change no longer fits; each is also logged and audited.
   */
  public List<String> restore() {
    synchronized (changing) {
      return build(true);
    }
  }

  /**
   * Makes the file's APIs and plans with the runtime changes stored now current: the change
   * applier's way to apply a change to an API or plan, made on this node or another. A change that
   * no longer fits the file is left out (the node that started with that file dropped it). Blocks
   * (store); called by the applier only, one call at a time.
   */
  public void reload() {
    build(false);
  }

  private List<String> build(boolean dropStale) {
    List<ApiConfig> apis = new ArrayList<>(fileApis.values());
    Map<String, PlanConfig> plans = new LinkedHashMap<>(filePlans);
    List<String> warnings = new ArrayList<>();
    List<ConfigChange> changes = store.configChanges();
    // plans first: a runtime API may name a plan added at run time
    for (ConfigChange change : changes) {
      if (change.kind() == Kind.PLAN) {
        restorePlan(change, plans, warnings, dropStale);
      }
    }
    for (ConfigChange change : changes) {
      if (change.kind() == Kind.API) {
        restoreApi(change, apis, plans, warnings, dropStale);
      }
    }
    target.replace(apis, plans);
    return warnings;
  }

  /**
   * Creates or replaces the API {@code name}. {@code body} is one API in the file's shape; its
   * {@code name}, when present, must be {@code name}.
   */
  public Future<Put<ApiConfig>> putApi(String actor, String name, JsonNode body) {
    return change(
        () -> {
          List<String> problems = new ArrayList<>();
          ObjectNode node = named(body, name, problems);
          Map<String, PlanConfig> plans = target.plans();
          ApiConfig api = parse(problems, () -> ConfigLoader.parseApi(node, plans.keySet(), ""));
          List<ApiConfig> apis = new ArrayList<>(target.apis());
          String taken = api == null ? null : pathOwner(apis, api);
          if (taken != null && api != null) {
            problems.add("path: \"" + api.path() + "\" is already used by API " + taken);
          }
          if (!problems.isEmpty() || api == null) {
            throw new ConfigRejectedException(problems);
          }
          int at = indexOf(apis, name);
          persist(
              Kind.API,
              name,
              ConfigJson.toJson(api),
              base(fileApis.get(name), ConfigJson::toJson),
              audit.event(
                  actor,
                  "api.updated",
                  name,
                  (at < 0 ? "created" : "replaced") + " path=" + api.path()));
          applyCommitted.run();
          return new Put<>(name, api, at < 0);
        });
  }

  /** Removes the API {@code name}: the next request to its path is {@code route_not_found}. */
  public Future<ApiConfig> deleteApi(String actor, String name) {
    return change(
        () -> {
          List<ApiConfig> apis = new ArrayList<>(target.apis());
          int at = indexOf(apis, name);
          if (at < 0) {
            throw ServiceException.notFound("api", name);
          }
          ApiConfig removed = apis.get(at);
          persist(
              Kind.API,
              name,
              null,
              base(fileApis.get(name), ConfigJson::toJson),
              audit.event(actor, "api.deleted", name, "path=" + removed.path()));
          applyCommitted.run();
          return removed;
        });
  }

  /**
   * Creates or replaces the plan {@code name}; every API and key naming it follows at once. {@code
   * body} is one plan in the file's shape, optionally with its {@code name}.
   */
  public Future<Put<PlanConfig>> putPlan(String actor, String name, JsonNode body) {
    return change(
        () -> {
          List<String> problems = new ArrayList<>();
          ObjectNode node = named(body, name, problems);
          node.remove("name");
          if (!ConfigLoader.isName(name)) {
            problems.add("name: a plan name " + ConfigLoader.NAME_RULE);
          }
          PlanConfig plan = parse(problems, () -> ConfigLoader.parsePlan(node, ""));
          if (!problems.isEmpty() || plan == null) {
            throw new ConfigRejectedException(problems);
          }
          boolean created = !target.plans().containsKey(name);
          persist(
              Kind.PLAN,
              name,
              ConfigJson.toJson(plan),
              base(filePlans.get(name), ConfigJson::toJson),
              audit.event(actor, "plan.updated", name, created ? "created" : "replaced"));
          applyCommitted.run();
          return new Put<>(name, plan, created);
        });
  }

  private void restorePlan(
      ConfigChange change, Map<String, PlanConfig> plans, List<String> warnings, boolean drop) {
    String name = change.name();
    if (!change.base().equals(base(filePlans.get(name), ConfigJson::toJson))) {
      skip(change, "the configuration file changed it since", warnings, drop);
      return;
    }
    List<String> problems = new ArrayList<>();
    String config = change.config();
    PlanConfig plan =
        config == null ? null : parse(problems, () -> ConfigLoader.parsePlan(tree(config), ""));
    if (plan == null) {
      skip(change, "it no longer validates (" + String.join("; ", problems) + ")", warnings, drop);
      return;
    }
    plans.put(name, plan);
  }

  private void restoreApi(
      ConfigChange change,
      List<ApiConfig> apis,
      Map<String, PlanConfig> plans,
      List<String> warnings,
      boolean drop) {
    String name = change.name();
    if (!change.base().equals(base(fileApis.get(name), ConfigJson::toJson))) {
      skip(change, "the configuration file changed it since", warnings, drop);
      return;
    }
    int at = indexOf(apis, name);
    String config = change.config();
    if (config == null) {
      if (at >= 0) {
        apis.remove(at);
      }
      return;
    }
    List<String> problems = new ArrayList<>();
    ApiConfig api = parse(problems, () -> ConfigLoader.parseApi(tree(config), plans.keySet(), ""));
    String taken = api == null ? null : pathOwner(apis, api);
    if (taken != null) {
      problems.add("path: already used by API " + taken);
    }
    if (api == null || !problems.isEmpty()) {
      skip(change, "it no longer fits (" + String.join("; ", problems) + ")", warnings, drop);
    } else if (at < 0) {
      apis.add(api);
    } else {
      apis.set(at, api);
    }
  }

  /** Leaves the change out; at start-up ({@code drop}) also forgets it, with a warning. */
  private void skip(ConfigChange change, String why, List<String> warnings, boolean drop) {
    if (drop) {
      drop(change, why, warnings);
    } else {
      LOG.debug("runtime change of {} {} left out: {}", change.kind().wire(), change.name(), why);
    }
  }

  private void drop(ConfigChange change, String why, List<String> warnings) {
    String what = change.kind().wire() + " " + change.name();
    String warning =
        "runtime change of "
            + what
            + " ("
            + change.changedAt()
            + ") dropped: "
            + why
            + "; the configuration file's definition applies";
    LOG.warn("{}", warning);
    warnings.add(warning);
    store.deleteConfigChange(
        change.kind(),
        change.name(),
        audit.event("system", change.kind().wire() + ".reverted", change.name(), why));
  }

  /**
   * Stores the change, or forgets it when the result is the file's own definition: then nothing
   * overrides the file any more.
   */
  private void persist(
      Kind kind, String name, @Nullable ObjectNode config, String base, AdminEvent event) {
    String now = config == null ? ConfigChange.ABSENT : fingerprint(config);
    if (now.equals(base)) {
      store.deleteConfigChange(kind, name, event);
    } else {
      store.putConfigChange(
          new ConfigChange(
              kind,
              name,
              config == null ? null : config.toString(),
              base,
              clock.instant().truncatedTo(ChronoUnit.MILLIS)),
          event);
    }
  }

  /** The body as a mapping whose name is {@code name}, reporting a different name. */
  private static ObjectNode named(JsonNode body, String name, List<String> problems) {
    if (!body.isObject()) {
      throw new ConfigRejectedException(List.of("(root): expected a JSON object"));
    }
    ObjectNode node = ((ObjectNode) body).deepCopy();
    JsonNode given = node.get("name");
    if (given != null
        && !given.isNull()
        && !(given.isTextual() && given.textValue().equals(name))) {
      problems.add("name: must be the name in the URL, \"" + name + "\", or left out");
    }
    node.put("name", name);
    return node;
  }

  private static @Nullable String pathOwner(List<ApiConfig> apis, ApiConfig api) {
    for (ApiConfig other : apis) {
      if (!other.name().equals(api.name()) && other.path().equals(api.path())) {
        return other.name();
      }
    }
    return null;
  }

  private static int indexOf(List<ApiConfig> apis, String name) {
    for (int i = 0; i < apis.size(); i++) {
      if (apis.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private interface Parse<T> {
    T run() throws ConfigException;
  }

  private static <T> @Nullable T parse(List<String> problems, Parse<T> parse) {
    try {
      return parse.run();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      // only this class writes the column: unreadable text is corruption, reported as invalid
      return JSON.createObjectNode().put("unreadable", true);
    }
  }

  private static <T> String base(@Nullable T fileDefinition, Function<T, ObjectNode> json) {
    return fileDefinition == null ? ConfigChange.ABSENT : fingerprint(json.apply(fileDefinition));
  }

  /** SHA-256 of the normalised JSON: ConfigJson writes every field, in a fixed order. */
  private static String fingerprint(ObjectNode config) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(config.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** On a worker, one change at a time: each builds on the snapshot the previous one made. */
  private <T> Future<T> change(Callable<T> work) {
    return vertx.executeBlocking(
        () -> {
          synchronized (changing) {
            return work.call();
          }
        },
        false);
  }
}
