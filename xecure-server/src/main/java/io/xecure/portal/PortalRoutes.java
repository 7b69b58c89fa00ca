package io.xecure.portal;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.xecure.config.ApiConfig;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.KeyStatus;
import io.xecure.policy.keyauth.KeyLocation;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.service.ConfigService;
import io.xecure.service.IssuedKey;
import io.xecure.service.KeyService;
import io.xecure.service.KeySpec;
import io.xecure.service.ServiceException;
import io.xecure.service.UsageService;
import io.xecure.store.Page;
import io.xecure.store.PortalStore.Allowance;
import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in developer's own things: keys (list, read, create within the allowance, rotate,
 * revoke), usage series, remaining quota, and the APIs it may call with example requests. Every
 * call is scoped to {@link PortalApi#visitor}'s developer; a key of anyone else is answered as
 * unknown. Changes go through the same {@link KeyService} as the admin API, so the change feed, the
 * key index and the audit trail (actor {@code developer:<id>}) apply alike.
 */
final class PortalRoutes {
  /** The rotation grace of the admin API's default: the old key keeps working for a day. */
  static final Duration GRACE = Duration.ofHours(24);

  static final int MAX_NAME = 200;
  private static final int PAGE = 100;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final Set<String> CREATE_FIELDS = Set.of("name", "apis", "scopes");
  private static final String PLACEHOLDER = "YOUR_KEY";

  private final PortalService portal;
  private final KeyService keys;
  private final UsageService usage;
  private final ConfigService configs;
  private final Supplier<String> gatewayUrl;
  private final Clock clock;

  PortalRoutes(
      PortalService portal,
      KeyService keys,
      UsageService usage,
      ConfigService configs,
      Supplier<String> gatewayUrl,
      Clock clock) {
    this.portal = portal;
    this.keys = keys;
    this.usage = usage;
    this.configs = configs;
    this.gatewayUrl = gatewayUrl;
    this.clock = clock;
  }

  void register(Router router) {
    router.get("/portal/api/keys").handler(this::list);
    router.post("/portal/api/keys").handler(this::create);
    router.get("/portal/api/keys/:id").handler(this::get);
    router.post("/portal/api/keys/:id/rotate").handler(this::rotate);
    router.post("/portal/api/keys/:id/revoke").handler(this::revoke);
    router.get("/portal/api/usage").handler(this::usage);
    router.get("/portal/api/quota").handler(this::quota);
    router.get("/portal/api/apis").handler(this::apis);
  }

  private void list(RoutingContext ctx) {
    String developer = PortalApi.visitor(ctx).developer().id();
    PortalApi.reply(
        ctx,
        allKeys(developer, null),
        200,
        list -> {
          JsonArray items = new JsonArray();
          Instant now = clock.instant();
          list.forEach(k -> items.add(key(k, now)));
          return new JsonObject().put("items", items);
        });
  }

  private void get(RoutingContext ctx) {
    PortalApi.reply(ctx, own(ctx, ctx.pathParam("id")), 200, k -> key(k, clock.instant()));
  }

  private void create(RoutingContext ctx) {
    PortalService.Visitor visitor = PortalApi.visitor(ctx);
    JsonInput body = JsonInput.read(ctx, CREATE_FIELDS);
    String name = body.required("name", MAX_NAME);
    List<String> apis = body.strings("apis", 50, 100);
    List<String> scopes = body.strings("scopes", 50, 200);
    body.check();
    String developer = visitor.developer().id();
    Future<IssuedKey> issued =
        portal
            .allowance(developer)
            .compose(
                allowance ->
                    keys.issueWithin(
                        visitor.actor(),
                        developer,
                        within(allowance, name, apis, scopes),
                        allowance.maxKeys()));
    PortalApi.reply(ctx, issued, 201, i -> issuedView(i));
  }

  /** The key spec asked for, if the allowance covers it; refused (422) otherwise. */
  private KeySpec within(
      Allowance allowance,
      String name,
      @Nullable List<String> apis,
      @Nullable List<String> scopes) {
    List<String> allowedApis = allowedApis(allowance);
    JsonInput.check(apis == null ? List.of() : apis, allowedApis, "apis", "not an API you may use");
    JsonInput.check(
        scopes == null ? List.of() : scopes,
        allowance.scopes(),
        "scopes",
        "not a scope you may use");
    List<String> chosen = apis == null ? allowedApis : List.copyOf(apis);
    if (chosen.isEmpty()) {
      throw ServiceException.conflict("no API is open to you in the portal; ask the operator");
    }
    return new KeySpec(
        name,
        chosen,
        scopes == null ? allowance.scopes() : List.copyOf(scopes),
        List.of(),
        null,
        allowance.plan());
  }

  /** The allowance's APIs that exist now, in the allowance's order. */
  private List<String> allowedApis(Allowance allowance) {
    Set<String> configured = new java.util.HashSet<>();
    configs.apis().forEach(a -> configured.add(a.name()));
    return allowance.apis().stream().filter(configured::contains).toList();
  }

  private void rotate(RoutingContext ctx) {
    String actor = PortalApi.visitor(ctx).actor();
    PortalApi.reply(
        ctx,
        own(ctx, ctx.pathParam("id")).compose(k -> keys.rotate(actor, k.id(), GRACE)),
        201,
        this::issuedView);
  }

  private void revoke(RoutingContext ctx) {
    String actor = PortalApi.visitor(ctx).actor();
    PortalApi.reply(
        ctx,
        own(ctx, ctx.pathParam("id")).compose(k -> keys.revoke(actor, k.id())),
        200,
        k -> key(k, clock.instant()));
  }

  /**
   * The key in the path, if it is the visitor's; the same 404 as for a key that does not exist
   * otherwise, so that nobody learns which ids exist.
   */
  private Future<ApiKeyRecord> own(RoutingContext ctx, String id) {
    String developer = PortalApi.visitor(ctx).developer().id();
    ServiceException unknown =
        ServiceException.notFound("key", ID.matcher(id).matches() ? id : "?");
    if (!ID.matcher(id).matches()) {
      return Future.failedFuture(unknown);
    }
    return keys.get(id)
        .recover(e -> Future.failedFuture(e instanceof ServiceException ? unknown : e))
        .compose(
            k ->
                k.developerId().equals(developer)
                    ? Future.succeededFuture(k)
                    : Future.failedFuture(unknown));
  }

  /** Every key of the developer with the status (null: any), oldest first. */
  private Future<List<ApiKeyRecord>> allKeys(String developer, @Nullable KeyStatus status) {
    return page(developer, status, null, new ArrayList<>(), 0);
  }

  private Future<List<ApiKeyRecord>> page(
      String developer,
      @Nullable KeyStatus status,
      @Nullable String cursor,
      List<ApiKeyRecord> sofar,
      int pages) {
    return keys.list(developer, status, PAGE, cursor)
        .compose(
            (Page<ApiKeyRecord> p) -> {
              sofar.addAll(p.items());
              // bounded: a portal developer holds few keys; 50 pages is 5,000
              if (p.nextCursor() == null || pages >= 50) {
                return Future.succeededFuture(sofar);
              }
              return page(developer, status, p.nextCursor(), sofar, pages + 1);
            });
  }

  /**
   * {@code GET /portal/api/usage?interval=minute|hour|day[&key=ID]}: the developer's requests per
   * key over the last hour of minutes, day of hours or 30 days.
   */
  private void usage(RoutingContext ctx) {
    String developer = PortalApi.visitor(ctx).developer().id();
    String intervalText = ctx.request().getParam("interval");
    UsageInterval interval =
        intervalText == null ? UsageInterval.HOUR : UsageInterval.parse(intervalText);
    if (interval == null) {
      throw new ServiceException(
          io.xecure.problem.ProblemCode.VALIDATION_FAILED, "interval: must be minute, hour or day");
    }
    Instant end = interval.floor(clock.instant()).plus(interval.duration());
    Instant start = end.minus(range(interval));
    String keyId = ctx.request().getParam("key");
    Future<@Nullable String> key =
        keyId == null ? Future.succeededFuture(null) : own(ctx, keyId).map(ApiKeyRecord::id);
    Future<UsageService.Report> report =
        key.compose(
            k ->
                usage.query(
                    new UsageQuery(
                        UsageDimension.KEY, interval, start, end, k, developer, null, 20)));
    PortalApi.reply(ctx, report, 200, r -> usageView(r));
  }

  private static Duration range(UsageInterval interval) {
    return switch (interval) {
      case MINUTE -> Duration.ofHours(1);
      case HOUR -> Duration.ofDays(1);
      case DAY -> Duration.ofDays(30);
    };
  }

  private static JsonObject usageView(UsageService.Report report) {
    JsonArray series = new JsonArray();
    for (UsageSeries s : report.result().series()) {
      JsonArray points = new JsonArray();
      for (UsageSeries.Point p : s.points()) {
        points.add(
            new JsonObject()
                .put("t", p.t().toString())
                .put("granted", p.counts().granted())
                .put("denied", p.counts().denied()));
      }
      series.add(
          new JsonObject()
              .put("key_id", s.id())
              .put("name", report.names().get(s.id()))
              .put("granted", s.total().granted())
              .put("denied", s.total().denied())
              .put("points", points));
    }
    UsageQuery q = report.query();
    return new JsonObject()
        .put("interval", q.interval().wire())
        .put("from", q.from().toString())
        .put("to", q.to().toString())
        .put("series", series);
  }

  /**
   * {@code GET /portal/api/quota}: per active key and plan with a quota, the calendar window in
   * progress, its limit, the requests granted in it and what remains. Counted from the usage
   * roll-ups, which trail the gateway's own counters by up to a minute.
   */
  private void quota(RoutingContext ctx) {
    String developer = PortalApi.visitor(ctx).developer().id();
    Instant now = clock.instant();
    Future<JsonObject> answer =
        allKeys(developer, KeyStatus.ACTIVE)
            .compose(
                active -> {
                  List<Future<JsonObject>> rows = new ArrayList<>();
                  Map<String, PlanConfig> plans = configs.plans();
                  for (ApiKeyRecord k : active) {
                    if (KeyService.effectiveStatus(k, now) != KeyStatus.ACTIVE) {
                      continue;
                    }
                    for (String planName : plansOf(k)) {
                      PlanConfig plan = plans.get(planName);
                      if (plan != null && plan.quota() != null) {
                        rows.add(quotaRow(k, planName, plan, now));
                      }
                    }
                  }
                  return Future.all(rows)
                      .map(
                          all -> {
                            JsonArray items = new JsonArray();
                            for (int i = 0; i < all.size(); i++) {
                              items.add(all.resultAt(i));
                            }
                            return new JsonObject().put("items", items);
                          });
                });
    PortalApi.reply(ctx, answer, 200, j -> j);
  }

  /** The plans a key's requests are limited by: its own, else each of its APIs' default plan. */
  private List<String> plansOf(ApiKeyRecord key) {
    if (key.plan() != null) {
      return List.of(key.plan());
    }
    List<String> names = new ArrayList<>();
    for (ApiConfig api : configs.apis()) {
      String plan = api.defaultPlan();
      if (key.apis().contains(api.name()) && plan != null && !names.contains(plan)) {
        names.add(plan);
      }
    }
    return names;
  }

  private Future<JsonObject> quotaRow(
      ApiKeyRecord key, String planName, PlanConfig plan, Instant now) {
    PlanConfig.Quota quota = java.util.Objects.requireNonNull(plan.quota());
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    Instant start;
    UsageInterval interval;
    switch (quota.per()) {
      case MINUTE -> {
        start = UsageInterval.MINUTE.floor(now);
        interval = UsageInterval.MINUTE;
      }
      case HOUR -> {
        start = UsageInterval.HOUR.floor(now);
        interval = UsageInterval.MINUTE;
      }
      case DAY -> {
        start = UsageInterval.DAY.floor(now);
        interval = UsageInterval.HOUR;
      }
      default -> {
        start = t.withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        interval = UsageInterval.DAY;
      }
    }
    Instant end = interval.floor(now).plus(interval.duration());
    Instant resets =
        switch (quota.per()) {
          case MINUTE -> start.plus(Duration.ofMinutes(1));
          case HOUR -> start.plus(Duration.ofHours(1));
          case DAY -> start.plus(Duration.ofDays(1));
          case MONTH ->
              t.withDayOfMonth(1)
                  .plusMonths(1)
                  .toLocalDate()
                  .atStartOfDay(ZoneOffset.UTC)
                  .toInstant();
        };
    boolean byDeveloper = plan.limitBy() == PlanConfig.LimitBy.DEVELOPER;
    UsageQuery query =
        new UsageQuery(
            byDeveloper ? UsageDimension.DEVELOPER : UsageDimension.KEY,
            interval,
            start,
            end,
            byDeveloper ? null : key.id(),
            key.developerId(),
            null,
            1);
    return usage
        .query(query)
        .map(
            report -> {
              long used =
                  report.result().series().stream().mapToLong(s -> s.total().granted()).sum();
              return new JsonObject()
                  .put("key_id", key.id())
                  .put("key_name", key.name())
                  .put("plan", planName)
                  .put("per", quota.per().name().toLowerCase(java.util.Locale.ROOT))
                  .put("limit_by", byDeveloper ? "developer" : "key")
                  .put("limit", quota.limit())
                  .put("used", used)
                  .put("remaining", Math.max(0, quota.limit() - used))
                  .put("window_start", start.toString())
                  .put("resets_at", resets.toString());
            });
  }

  /** {@code GET /portal/api/apis}: the APIs the developer may create keys for, how to call them. */
  private void apis(RoutingContext ctx) {
    String developer = PortalApi.visitor(ctx).developer().id();
    PortalApi.reply(
        ctx,
        portal.allowance(developer),
        200,
        allowance -> {
          String base = gatewayUrl.get();
          JsonArray items = new JsonArray();
          for (ApiConfig api : configs.apis()) {
            if (!allowance.apis().contains(api.name())) {
              continue;
            }
            JsonArray examples = new JsonArray();
            for (KeyLocation location : api.keyAuth().in()) {
              examples.add(example(location, base + api.path()));
            }
            String plan = allowance.plan() != null ? allowance.plan() : api.defaultPlan();
            items.add(
                new JsonObject()
                    .put("name", api.name())
                    .put("path", api.path())
                    .put("url", base + api.path())
                    .put("plan", plan)
                    .put("scopes", new JsonArray(allowance.scopes()))
                    .put(
                        "key_locations",
                        new JsonArray(
                            api.keyAuth().in().stream().map(KeyLocation::toString).toList()))
                    .put("examples", examples));
          }
          return new JsonObject().put("gateway_url", base).put("items", items);
        });
  }

  /** A curl line that sends the key where the API looks for it, with a placeholder for the key. */
  static String example(KeyLocation location, String url) {
    return switch (location.kind()) {
      case HEADER -> "curl -s " + url + " -H '" + location.name() + ": " + PLACEHOLDER + "'";
      case BEARER -> "curl -s " + url + " -H 'Authorization: Bearer " + PLACEHOLDER + "'";
      case QUERY -> "curl -s '" + url + "?" + location.name() + "=" + PLACEHOLDER + "'";
      case BODY ->
          "curl -s "
              + url
              + " -H 'Content-Type: application/json' -d '{\""
              + location.name()
              + "\":\""
              + PLACEHOLDER
              + "\"}'";
    };
  }

  static JsonObject developer(Developer d) {
    return new JsonObject()
        .put("id", d.id())
        .put("name", d.name())
        .put("email", d.email())
        .put("status", d.status().wire());
  }

  static JsonObject allowance(Allowance a) {
    return new JsonObject()
        .put("apis", new JsonArray(a.apis()))
        .put("scopes", new JsonArray(a.scopes()))
        .put("max_keys", a.maxKeys())
        .put("plan", a.plan());
  }

  /** A key as its developer sees it: no hash, no developer id beyond its own. */
  static JsonObject key(ApiKeyRecord k, Instant now) {
    return new JsonObject()
        .put("id", k.id())
        .put("name", k.name())
        .put("display_prefix", k.displayPrefix())
        .put("status", KeyService.effectiveStatus(k, now).wire())
        .put("created_at", k.createdAt().toString())
        .put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString())
        .put("apis", new JsonArray(k.apis()))
        .put("scopes", new JsonArray(k.scopes()))
        .put("plan", k.plan())
        .put("last_used_at", k.lastUsedAt() == null ? null : k.lastUsedAt().toString())
        .put("replaces_key_id", k.replacesKeyId())
        .put("grace_until", k.graceUntil() == null ? null : k.graceUntil().toString());
  }

  private JsonObject issuedView(IssuedKey issued) {
    Instant now = clock.instant();
    JsonObject json = key(issued.key(), now).put("key", issued.plaintext());
    ApiKeyRecord replaced = issued.replaced();
    if (replaced != null) {
      json.put("replaced_key", key(replaced, now));
    }
    return json;
  }
}
