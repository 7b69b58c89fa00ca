package io.xecure.app;

import io.xecure.config.ApiConfig;
import io.xecure.keys.KeyVerifier;
import io.xecure.pipeline.Pipeline;
import io.xecure.pipeline.PolicyChain;
import io.xecure.pipeline.Route;
import io.xecure.policy.Policies;
import io.xecure.policy.PolicyServices;
import io.xecure.policy.bruteforce.FailureLedger;
import io.xecure.policy.keyauth.BodyBudget;
import io.xecure.policy.ratelimit.LimiterStore;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.routing.RouteTable;
import io.xecure.service.ConfigService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The current routing snapshot: APIs, plans and the route table built from them, swapped as one
 * reference. A change builds a whole new snapshot (each API's policies built from its settings by
 * {@link Policies}); a request in flight keeps the snapshot it started with.
 *
 * <p>State that must survive a change (limiter counters, brute-force failures) lives in long-lived
 * objects given to the constructor, never in the policies.
 */
public final class Routes implements ConfigService.Target {
  /** One consistent view: the table was built from exactly these APIs and plans. */
  public record Snapshot(List<ApiConfig> apis, Map<String, PlanConfig> plans, RouteTable table) {}

  private final KeyVerifier verifier;
  private final Clock clock;
  private final PolicyChain.Terminal terminal;
  private final FailureLedger failures;
  private final LimiterStore limiter;
  private final BodyBudget bodies;
  private volatile Snapshot current = new Snapshot(List.of(), Map.of(), new RouteTable(List.of()));

  public Routes(
      KeyVerifier verifier,
      Clock clock,
      PolicyChain.Terminal terminal,
      FailureLedger failures,
      LimiterStore limiter,
      BodyBudget bodies) {
    this.verifier = verifier;
    this.bodies = bodies;
    this.clock = clock;
    this.terminal = terminal;
    this.failures = failures;
    this.limiter = limiter;
  }

  public Snapshot snapshot() {
    return current;
  }

  public RouteTable table() {
    return current.table();
  }

  @Override
  public List<ApiConfig> apis() {
    return current.apis();
  }

  @Override
  public Map<String, PlanConfig> plans() {
    return current.plans();
  }

  /** Builds the table for {@code apis} under {@code plans} and makes it current. */
  @Override
  public synchronized void replace(List<ApiConfig> apis, Map<String, PlanConfig> plans) {
    PolicyServices services = new PolicyServices(verifier, clock, failures, limiter, plans, bodies);
    List<Route> routes = new ArrayList<>(apis.size());
    for (ApiConfig api : apis) {
      routes.add(new Route(api, new Pipeline(Policies.create(api, services), terminal)));
    }
    current = new Snapshot(List.copyOf(apis), Map.copyOf(plans), new RouteTable(routes));
  }
}
