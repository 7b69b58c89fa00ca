package io.xecure.routing;

import io.xecure.pipeline.Route;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of routes, matched by longest prefix on the canonical path. A prefix
 * matches whole segments only: {@code /users} matches {@code /users} and {@code /users/1}, not
 * {@code /usersX}. Replaced whole on a change; never mutated.
 */
public final class RouteTable {
  private final Route[] routes;

  public RouteTable(List<Route> routes) {
    this.routes =
        routes.stream()
            .sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed())
            .toArray(Route[]::new);
  }

  public @Nullable Route match(String canonicalPath) {
    for (Route route : routes) {
      String prefix = route.prefix();
      if (prefix.equals("/")) {
        return route;
      }
      if (canonicalPath.startsWith(prefix)
          && (canonicalPath.length() == prefix.length()
              || canonicalPath.charAt(prefix.length()) == '/')) {
        return route;
      }
    }
    return null;
  }

  public List<Route> routes() {
    return List.of(routes);
  }

  public @Nullable Route byName(String name) {
    for (Route route : routes) {
      if (route.name().equals(name)) {
        return route;
      }
    }
    return null;
  }
}
