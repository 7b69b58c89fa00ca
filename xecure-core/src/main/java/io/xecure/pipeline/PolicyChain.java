package io.xecure.pipeline;

import io.vertx.core.Future;
import java.util.List;

/**
 * The rest of the pipeline after one policy. A chain object belongs to one position in one
 * exchange; calling {@link #proceed} twice is a bug in the policy, reported by its id.
 */
public final class PolicyChain {
  /** The end of the pipeline: forwards the exchange upstream. */
  public interface Terminal {
    Future<Void> forward(Exchange exchange);
  }

  private final List<Policy> policies;
  private final int index;
  private final Terminal terminal;
  private boolean proceeded;

  PolicyChain(List<Policy> policies, int index, Terminal terminal) {
    this.policies = policies;
    this.index = index;
    this.terminal = terminal;
  }

  public Future<Void> proceed(Exchange exchange) {
    if (proceeded) {
      throw new IllegalStateException(
          "policy " + policies.get(index - 1).id() + " called proceed more than once");
    }
    proceeded = true;
    if (exchange.refused() || exchange.answered()) {
      throw new IllegalStateException(
          "policy " + policies.get(index - 1).id() + " proceeded after ending the exchange");
    }
    if (index == policies.size()) {
      return terminal.forward(exchange);
    }
    Policy next = policies.get(index);
    return next.apply(exchange, new PolicyChain(policies, index + 1, terminal));
  }
}
