package io.xecure.testing;

import io.xecure.config.ApiConfig;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.service.ConfigService;
import java.util.List;
import java.util.Map;

/** The APIs and plans in force without a router: for admin tests that need no data plane. */
public final class ConfigHolder implements ConfigService.Target {
  private volatile List<ApiConfig> apis = List.of();
  private volatile Map<String, PlanConfig> plans = Map.of();

  @Override
  public List<ApiConfig> apis() {
    return apis;
  }

  @Override
  public Map<String, PlanConfig> plans() {
    return plans;
  }

  @Override
  public synchronized void replace(List<ApiConfig> apis, Map<String, PlanConfig> plans) {
    this.apis = List.copyOf(apis);
    this.plans = Map.copyOf(plans);
  }
}
