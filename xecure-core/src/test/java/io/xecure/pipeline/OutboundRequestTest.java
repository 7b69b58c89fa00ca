package io.xecure.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class OutboundRequestTest {
  private static OutboundRequest outbound(MultiMap headers) {
    return new OutboundRequest(HttpMethod.GET, "/users", "a=1", headers);
  }

  @Test
  void removingAHeaderRemovesEverySpellingAServerCouldReadAsIt() {
    MultiMap headers =
        HttpHeaders.headers()
            .add("X-API-Key", "k1")
            .add("x-api-key", "k2")
            .add("X_Api_Key", "k3")
            .add("X-API-Keys", "other")
            .add("Accept", "*/*");

    outbound(headers).removeHeader("X-API-Key");

    assertThat(headers.names()).containsExactlyInAnyOrder("X-API-Keys", "Accept", "X-Anonymous");
  }

  @Test
  void removingSomeValuesKeepsTheOthersInOrder() {
    MultiMap headers =
        HttpHeaders.headers()
            .add("Authorization", "Basic abc")
            .add("authorization", "Bearer xk_1")
            .add("Authorization", "Digest d");

    outbound(headers).removeHeaderIf("authorization", v -> v.startsWith("Bearer "));

    assertThat(headers.getAll("authorization")).containsExactly("Basic abc", "Digest d");
  }

  @Test
  void aNewRequestIsAnonymousUntilACallerIsIdentified() {
    MultiMap headers = HttpHeaders.headers();
    OutboundRequest request = outbound(headers);

    assertThat(headers.get("X-Anonymous")).isEqualTo("true");
    assertThat(request.query()).isEqualTo("a=1");
    assertThat(request.body()).isNull();
  }
}
