package io.xecure.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.xecure.testing.ApiConfigBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {
  @Test
  void eachUpstreamGetsItsOwnHostHeaderWithThePortOnlyWhenItIsNotTheSchemesDefault() {
    Route route =
        route(
            "http://a.example:8080/base",
            "http://b.example",
            "https://c.example:443",
            "https://d.example:8443",
            "http://e.example:80");

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      URI upstream = route.nextUpstream();
      seen.add(route.hostHeader(upstream).toString());
    }

    assertThat(seen)
        .containsExactly("a.example:8080", "b.example", "c.example", "d.example:8443", "e.example");
  }

  @Test
  void anUpstreamTheRouteDoesNotListStillGetsItsHost() {
    Route route = route("http://a.example:8080");

    assertThat(route.hostHeader(URI.create("http://other.example:9000/x")).toString())
        .isEqualTo("other.example:9000");
  }

  private static Route route(String... upstreams) {
    return new Route(
        ApiConfigBuilder.api("api", "/", upstreams[0]).upstreams(upstreams).build(),
        new Pipeline(List.of(), exchange -> Future.succeededFuture()));
  }
}
