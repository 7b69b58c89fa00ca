package io.xecure.app;

import io.xecure.config.ApiConfig;
import io.xecure.keys.KeyVerifier;
import io.xecure.pipeline.Pipeline;
import io.xecure.pipeline.Policy;
import io.xecure.pipeline.PolicyChain;
import io.xecure.policy.keyauth.KeyAuthPolicy;
import io.xecure.routing.Route;
import io.xecure.routing.RouteTable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The current routing snapshot. A change builds a whole new {@link RouteTable} (with each API's
 * policies resolved from its config) and swaps one reference; a request in flight keeps the
 * snapshot it started with.
 */
public final class Routes {
  private final KeyVerifier verifier;
  private final Clock clock;
  private final PolicyChain.Terminal terminal;
  private volatile RouteTable current = new RouteTable(List.of());
  private volatile List<ApiConfig> apis = List.of();

  public Routes(KeyVerifier verifier, Clock clock, PolicyChain.Terminal terminal) {
    this.verifier = verifier;
    this.clock = clock;
    this.terminal = terminal;
  }

  public RouteTable table() {
    return current;
  }

  public List<ApiConfig> apis() {
    return apis;
  }

  /** Builds the table for {@code apis} and makes it current. */
  public void replace(List<ApiConfig> apis) {
    List<Route> routes = new ArrayList<>(apis.size());
    for (ApiConfig api : apis) {
      routes.add(new Route(api, new Pipeline(policies(api), terminal)));
    }
    current = new RouteTable(routes);
    this.apis = List.copyOf(apis);
  }

  private List<Policy> policies(ApiConfig api) {
    return List.of(new KeyAuthPolicy(api.keyAuth(), verifier, clock));
  }
}
