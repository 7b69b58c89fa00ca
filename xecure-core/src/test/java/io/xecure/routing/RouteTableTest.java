package io.xecure.routing;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.xecure.config.ApiConfig;
import io.xecure.pipeline.Pipeline;
import io.xecure.pipeline.Route;
import io.xecure.testing.ApiConfigBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {
  private static final List<Route> ROUTES =
      List.of(
          route("root", "/"),
          route("users", "/users"),
          route("admin", "/users/admin"),
          route("analytics", "/analytics"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /                     | root
          /users                | users
          /users/               | users
          /users/1              | users
          /users/admin          | admin
          /users/admin/         | admin
          /users/admin/x        | admin
          /users/administrator  | users
          /users/adminx/y       | users
          /usersX               | root
          /users-old/1          | root
          /Users                | root
          /analytics/daily      | analytics
          /analytic             | root
          /other/users          | root
          """)
  void matchesTheLongestWholeSegmentPrefix(String path, String expected) {
    assertThat(nameOf(new RouteTable(ROUTES).match(path))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      textBlock =
          """
          /users/1              | users
          /users/admin          | admin
          /usersX               | none
          /other                | none
          /                     | none
          """)
  void matchesNothingWithoutACatchAll(String path, @Nullable String expected) {
    RouteTable table = new RouteTable(ROUTES.subList(1, ROUTES.size()));

    assertThat(nameOf(table.match(path))).isEqualTo(expected);
  }

  @Test
  void theOrderOfDeclarationDoesNotMatter() {
    List<Route> reversed = new ArrayList<>(ROUTES);
    Collections.reverse(reversed);
    RouteTable table = new RouteTable(reversed);

    assertThat(nameOf(table.match("/users/admin/x"))).isEqualTo("admin");
    assertThat(nameOf(table.match("/users/x"))).isEqualTo("users");
    assertThat(nameOf(table.match("/x"))).isEqualTo("root");
  }

  @Test
  void routesTheCanonicalPath() {
    RouteTable table = new RouteTable(ROUTES);
    String path =
        requireNonNull(PathCanonicaliser.canonicalise("//us%65rs/./admin/../1", null).path());

    assertThat(path).isEqualTo("/users/1");
    assertThat(nameOf(table.match(path))).isEqualTo("users");
  }

  private static @Nullable String nameOf(@Nullable Route route) {
    return route == null ? null : route.name();
  }

  private static Route route(String name, String prefix) {
    ApiConfig api = ApiConfigBuilder.api(name, prefix, "http://127.0.0.1:9000").build();
    return new Route(api, new Pipeline(List.of(), exchange -> Future.succeededFuture()));
  }
}
