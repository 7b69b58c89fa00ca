package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.config.ApiConfig;
import io.xecure.config.ConfigJson;
import io.xecure.events.RequestEvent;
import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.service.ImportResult;
import io.xecure.service.IssuedKey;
import io.xecure.service.KeyService;
import io.xecure.store.AdminEvent;
import io.xecure.store.Page;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The admin API's response bodies: snake_case fields, ISO-8601 UTC times, absent values as JSON
 * null so every object of a kind has the same fields. The only plaintext key ever written is the
 * {@code key} field of {@link #issued}.
 */
final class AdminJson {
  private AdminJson() {}

  static JsonObject developer(Developer d) {
    return new JsonObject()
        .put("id", d.id())
        .put("name", d.name())
        .put("email", d.email())
        .put("status", d.status().wire())
        .put("created_at", time(d.createdAt()));
  }

  static JsonObject key(ApiKeyRecord k, Instant now) {
    return new JsonObject()
        .put("id", k.id())
        .put("developer_id", k.developerId())
        .put("name", k.name())
        .put("display_prefix", k.displayPrefix())
        .put("status", KeyService.effectiveStatus(k, now).wire())
        .put("created_at", time(k.createdAt()))
        .put("expires_at", time(k.expiresAt()))
        .put("apis", new JsonArray(List.copyOf(k.apis())))
        .put("scopes", new JsonArray(List.copyOf(k.scopes())))
        .put("allowed_cidrs", new JsonArray(List.copyOf(k.allowedCidrs())))
        .put("plan", k.plan())
        .put("last_used_at", time(k.lastUsedAt()))
        .put("last_used_ip", k.lastUsedIp())
        .put("replaces_key_id", k.replacesKeyId())
        .put("identity_id", k.identityId())
        .put("grace_until", time(k.graceUntil()));
  }

  /** A new key with its plaintext, shown this once; after a rotation also the key it replaced. */
  static JsonObject issued(IssuedKey issued, Instant now) {
    JsonObject json = key(issued.key(), now).put("key", issued.plaintext());
    if (issued.replaced() != null) {
      json.put("replaced_key", key(issued.replaced(), now));
    }
    return json;
  }

  static <T> JsonObject page(Page<T> page, Function<T, JsonObject> view) {
    return list(page.items(), view).put("next_cursor", page.nextCursor());
  }

  static <T> JsonObject list(List<T> items, Function<T, JsonObject> view) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(view.apply(item)));
    return new JsonObject().put("items", array).put("next_cursor", null);
  }

  static JsonObject importResult(ImportResult r) {
    JsonArray errors = new JsonArray();
    r.errors()
        .forEach(e -> errors.add(new JsonObject().put("line", e.line()).put("error", e.error())));
    return new JsonObject()
        .put("imported", r.imported())
        .put("failed", r.failed())
        .put("errors", errors)
        .put("errors_truncated", r.errorsTruncated());
  }

  static JsonObject adminEvent(AdminEvent e) {
    return new JsonObject()
        .put("type", "admin")
        .put("time", time(e.time()))
        .put("actor", e.actor())
        .put("action", e.action())
        .put("target", e.target())
        .put("detail", e.detail());
  }

  static JsonObject requestEvent(RequestEvent e) {
    return new JsonObject()
        .put("type", "request")
        .put("time", time(e.time()))
        .put("request_id", e.requestId())
        .put("node", e.node())
        .put("api", e.api())
        .put("method", e.method())
        .put("path", e.path())
        .put("status", e.status())
        .put("outcome", e.outcome())
        .put("code", e.code())
        .put("reason", e.reason())
        .put("key_id", e.keyId())
        .put("developer_id", e.developerId())
        .put("client_ip", e.clientIp())
        .put("user_agent", e.userAgent())
        .put("latency_us", e.latencyMicros())
        .put("upstream_latency_us", e.upstreamLatencyMicros());
  }

  /** The API in the shape of the config file (so a future PUT can take it back as is). */
  static JsonObject api(ApiConfig a) {
    return new JsonObject(ConfigJson.toJson(a).toString());
  }

  static JsonObject plan(String name, PlanConfig p) {
    return new JsonObject()
        .put("name", name)
        .mergeIn(new JsonObject(ConfigJson.toJson(p).toString()));
  }

  static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : t.toString();
  }
}
