package io.xecure.pipeline;

import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;

/** An immutable, ordered list of policies ending in a terminal. Built once per route snapshot. */
public final class Pipeline {
  private final List<Policy> policies;
  private final PolicyChain.Terminal terminal;

  public Pipeline(List<Policy> policies, PolicyChain.Terminal terminal) {
    this.policies = policies.stream().sorted(Comparator.comparingInt(Policy::order)).toList();
    this.terminal = terminal;
  }

  public Future<Void> run(Exchange exchange) {
    return new PolicyChain(policies, 0, terminal).proceed(exchange);
  }

  public List<Policy> policies() {
    return policies;
  }
}
