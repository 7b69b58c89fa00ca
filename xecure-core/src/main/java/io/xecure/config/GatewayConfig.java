package io.xecure.config;

import io.xecure.policy.ratelimit.PlanConfig;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The whole configuration, resolved and validated (SPEC §3). Immutable: a change builds a new
 * instance and swaps it whole. {@code portal} is null when no developer portal is configured. Built
 * only by {@link ConfigLoader}, which reports every problem at once.
 */
public record GatewayConfig(
    ListenConfig gateway,
    AdminConfig admin,
    StoreConfig store,
    ClusterConfig cluster,
    KeysConfig keys,
    EventsConfig events,
    Map<String, PlanConfig> plans,
    List<ApiConfig> apis,
    RetentionConfig retention,
    AlertsConfig alerts,
    @Nullable PortalConfig portal) {

  /** A configuration without a developer portal. */
  public GatewayConfig(
      ListenConfig gateway,
      AdminConfig admin,
      StoreConfig store,
      ClusterConfig cluster,
      KeysConfig keys,
      EventsConfig events,
      Map<String, PlanConfig> plans,
      List<ApiConfig> apis,
      RetentionConfig retention,
      AlertsConfig alerts) {
    this(gateway, admin, store, cluster, keys, events, plans, apis, retention, alerts, null);
  }

  /** This configuration with the data-plane listener {@code to}. */
  public GatewayConfig withGateway(ListenConfig to) {
    return new GatewayConfig(
        to, admin, store, cluster, keys, events, plans, apis, retention, alerts, portal);
  }

  /** This configuration with the events settings {@code to}. */
  public GatewayConfig withEvents(EventsConfig to) {
    return new GatewayConfig(
        gateway, admin, store, cluster, keys, to, plans, apis, retention, alerts, portal);
  }

  /** This configuration with the developer portal {@code portal} (null: none). */
  public GatewayConfig withPortal(@Nullable PortalConfig portal) {
    return new GatewayConfig(
        gateway, admin, store, cluster, keys, events, plans, apis, retention, alerts, portal);
  }

  /** A configuration with the default retention and alerts. */
  public GatewayConfig(
      ListenConfig gateway,
      AdminConfig admin,
      StoreConfig store,
      ClusterConfig cluster,
      KeysConfig keys,
      EventsConfig events,
      Map<String, PlanConfig> plans,
      List<ApiConfig> apis) {
    this(
        gateway,
        admin,
        store,
        cluster,
        keys,
        events,
        plans,
        apis,
        RetentionConfig.DEFAULT,
        AlertsConfig.DEFAULT);
  }
}
