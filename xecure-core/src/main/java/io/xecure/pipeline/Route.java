package io.xecure.pipeline;

import io.netty.util.AsciiString;
import io.xecure.config.ApiConfig;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One API resolved for the request path: its config, its prefix and its pipeline. Part of an
 * immutable {@link RouteTable} snapshot, except the round-robin cursor over its upstreams.
 */
public final class Route {
  private final ApiConfig api;
  private final Pipeline pipeline;
  private final AtomicInteger next = new AtomicInteger();

  /** The Host header of each of the API's upstreams, in their order: made once, not per request. */
  private final AsciiString[] hosts;

  public Route(ApiConfig api, Pipeline pipeline) {
    this.api = api;
    this.pipeline = pipeline;
    List<URI> targets = api.upstreams();
    this.hosts = new AsciiString[targets.size()];
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = new AsciiString(hostOf(targets.get(i)));
    }
  }

  public String name() {
    return api.name();
  }

  public String prefix() {
    return api.path();
  }

  public ApiConfig api() {
    return api;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The next upstream target, round-robin. */
  public URI nextUpstream() {
    var targets = api.upstreams();
    if (targets.size() == 1) {
      return targets.get(0);
    }
    return targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
  }

  /** The Host header that {@code upstream}, one of {@link #nextUpstream}'s, receives. */
  public AsciiString hostHeader(URI upstream) {
    List<URI> targets = api.upstreams();
    for (int i = 0; i < hosts.length; i++) {
      if (targets.get(i) == upstream) {
        return hosts[i];
      }
    }
    return new AsciiString(hostOf(upstream));
  }

  /** The upstream's host, and its port unless it is the scheme's default. */
  private static String hostOf(URI upstream) {
    boolean https = "https".equalsIgnoreCase(upstream.getScheme());
    int port = upstream.getPort();
    boolean defaultPort = port <= 0 || port == (https ? 443 : 80);
    return defaultPort ? upstream.getHost() : upstream.getHost() + ":" + port;
  }

  /**
   * The path to send upstream for the canonical {@code path}: the prefix removed when strip_path,
   * then the upstream URL's own path prepended.
   */
  public String upstreamPath(URI upstream, String path) {
    String rest = path;
    if (api.stripPath() && !"/".equals(api.path())) {
      rest = path.substring(api.path().length());
      if (rest.isEmpty()) {
        rest = "/";
      }
    }
    String base = upstream.getRawPath();
    if (base == null || base.isEmpty() || "/".equals(base)) {
      return rest;
    }
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + rest;
  }
}
