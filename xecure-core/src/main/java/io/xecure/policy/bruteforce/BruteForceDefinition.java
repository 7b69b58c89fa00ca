package io.xecure.policy.bruteforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.config.ApiConfig;
import io.xecure.config.BadValue;
import io.xecure.config.Section;
import io.xecure.config.Values;
import io.xecure.pipeline.Policy;
import io.xecure.policy.PolicyDefinition;
import io.xecure.policy.PolicyServices;
import java.time.Duration;

/**
 * brute-force: on for every API, with no per-API fields; its settings are gateway-wide ({@code
 * gateway.brute_force}, bound by {@link #parseGateway}), since it guards the listener as a whole.
 */
public final class BruteForceDefinition implements PolicyDefinition<PolicyDefinition.Always> {
  public static final BruteForceDefinition INSTANCE = new BruteForceDefinition();

  private BruteForceDefinition() {}

  @Override
  public String id() {
    return BruteForceGuard.ID;
  }

  @Override
  public int order() {
    return BruteForceGuard.ORDER;
  }

  @Override
  public Always parse(Section api, ParseContext context) {
    return Always.ON;
  }

  @Override
  public void toJson(Always settings, ObjectNode api) {
    // no per-API fields
  }

  @Override
  public ObjectNode schema() {
    return JsonNodeFactory.instance.objectNode();
  }

  @Override
  public Policy create(Always settings, ApiConfig api, PolicyServices services) {
    return new BruteForceGuard(services.failures());
  }

  /** Binds {@code gateway.brute_force}; every field has a default. */
  public static BruteForceConfig parseGateway(Section s) {
    BruteForceConfig d = BruteForceConfig.DEFAULT;
    boolean enabled = s.get("enabled", d.enabled(), Values::bool);
    int threshold = s.get("threshold", d.threshold(), BruteForceDefinition::threshold);
    Duration window = s.get("window", d.window(), Values::positiveDuration);
    Duration block = s.get("block", d.block(), Values::positiveDuration);
    s.finish();
    return new BruteForceConfig(enabled, threshold, window, block);
  }

  private static int threshold(JsonNode value) throws BadValue {
    return (int) Values.integer(value, 1, 1_000_000, "must be an integer from 1 to 1000000");
  }
}
