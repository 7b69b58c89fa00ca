package io.xecure.policy.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.xecure.keys.IndexedKey;
import io.xecure.net.ClientNetwork;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Policy;
import io.xecure.pipeline.PolicyChain;
import io.xecure.policy.ratelimit.CounterKey.Subject;
import io.xecure.problem.ProblemCode;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * rate-limit (SPEC §5 step 5): applies the plan of the request, the key's own plan, else the API's
 * {@code default_plan}, else none (then no limit and no headers). A key naming a plan that does not
 * exist gets the API's default plan.
 *
 * <p>Who is counted: with {@code limit_by: key} the key's identity, so a rotated key shares its
 * predecessor's counters and rotation never resets a quota; with {@code limit_by: developer} the
 * developer, across all their keys; an anonymous request its client IP (IPv6 by /64). Counters are
 * per subject <em>and plan</em>, not per API: a key's plan is its allowance across every API that
 * applies that plan, as with AWS usage plans; APIs that want separate allowances use separate
 * plans.
 *
 * <p>Every response under a plan, granted or refused, carries {@code RateLimit-Limit}, {@code
 * RateLimit-Remaining} and {@code RateLimit-Reset} of the limit that binds tightest; a refusal is
 * 429 {@code rate_limited} or {@code quota_exceeded} with {@code Retry-After}.
 */
public final class RateLimitPolicy implements Policy {
  public static final String ID = "rate-limit";

  /**
   * After key-auth (100) and access (200): a request refused for who is calling or what it asks
   * spends nothing of anyone's rate or quota.
   */
  public static final int ORDER = 300;

  /** A plan with its name, resolved once per route snapshot. */
  private record Named(PlanConfig config, String name) {}

  private final Map<String, Named> plans;
  private final @Nullable Named defaultPlan;
  private final LimiterStore store;

  /**
   * @param plans every plan, by name, a key may name
   * @param defaultPlan the API's default_plan, or null
   */
  public RateLimitPolicy(
      Map<String, PlanConfig> plans, @Nullable String defaultPlan, LimiterStore store) {
    Map<String, Named> named = new HashMap<>();
    plans.forEach((name, plan) -> named.put(name, new Named(plan, name)));
    this.plans = Map.copyOf(named);
    this.defaultPlan = defaultPlan == null ? null : this.plans.get(defaultPlan);
    this.store = store;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int order() {
    return ORDER;
  }

  @Override
  public Future<Void> apply(Exchange exchange, PolicyChain chain) {
    IndexedKey key = exchange.key();
    Named plan = planOf(key);
    if (plan == null) {
      return chain.proceed(exchange);
    }
    CounterKey counter = counter(exchange, key, plan);
    return store
        .acquire(counter, plan.config())
        .compose(decision -> decide(exchange, chain, decision));
  }

  private @Nullable Named planOf(@Nullable IndexedKey key) {
    String own = key == null ? null : key.plan();
    Named plan = own == null ? null : plans.get(own);
    return plan == null ? defaultPlan : plan;
  }

  private static CounterKey counter(Exchange exchange, @Nullable IndexedKey key, Named plan) {
    if (key == null) {
      return new CounterKey(plan.name(), Subject.CLIENT, ClientNetwork.of(exchange.clientIp()));
    }
    return switch (plan.config().limitBy()) {
      case KEY -> new CounterKey(plan.name(), Subject.KEY, key.identityId());
      case DEVELOPER -> new CounterKey(plan.name(), Subject.DEVELOPER, key.developerId());
    };
  }

  private static Future<Void> decide(Exchange exchange, PolicyChain chain, Decision decision) {
    MultiMap headers = exchange.response().headers();
    headers.set("RateLimit-Limit", Long.toString(decision.limit()));
    headers.set("RateLimit-Remaining", Long.toString(decision.remaining()));
    headers.set("RateLimit-Reset", Long.toString(decision.resetSeconds()));
    return switch (decision.verdict()) {
      case GRANTED -> chain.proceed(exchange);
      case RATE_LIMITED -> refuse(exchange, decision, ProblemCode.RATE_LIMITED, "rate limit");
      case QUOTA_EXCEEDED -> refuse(exchange, decision, ProblemCode.QUOTA_EXCEEDED, "quota");
    };
  }

  private static Future<Void> refuse(
      Exchange exchange, Decision decision, ProblemCode code, String what) {
    long retry = decision.retryAfterSeconds();
    exchange.response().headers().set("Retry-After", Long.toString(retry));
    return exchange.refuse(
        code, "The " + what + " of this plan is used up; retry in " + retry + " s.", code.code());
  }
}
