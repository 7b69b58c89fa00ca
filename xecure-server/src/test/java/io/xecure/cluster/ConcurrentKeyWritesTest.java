package io.xecure.cluster;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.service.KeyPatch;
import io.xecure.service.KeySpec;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No change is lost on one node either (issue 8, item 8): a revoke racing a patch of the same key
 * used to end, some of the time, with the key active again, because the patch wrote back the whole
 * record it had read before the revoke committed.
 */
class ConcurrentKeyWritesTest {
  private static final int PAIRS = 40;

  @Test
  void aRevokeRacingAPatchAlwaysEndsRevokedInTheStoreTheIndexAndTheGateway(@TempDir Path dir)
      throws Exception {
    try (EchoUpstream upstream = new EchoUpstream();
        GatewayHarness gw =
            new GatewayHarness(dir, List.of(api("users", "/users", upstream.url())))) {
      Developer dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
      var keys = gw.gateway().keys();
      List<String[]> issued = new ArrayList<>();
      for (int i = 0; i < PAIRS; i++) {
        var key = await(keys.issue("test", dev.id(), spec()));
        issued.add(new String[] {key.plaintext(), key.key().id()});
      }

      // every pair at once on the worker pool: revokes and patches interleave
      List<Future<?>> racing = new ArrayList<>();
      for (String[] key : issued) {
        racing.add(
            keys.patch(
                "test",
                key[1],
                new KeyPatch("renamed", List.of("users"), List.of("a:b"), null, null, null)));
        racing.add(keys.revoke("test", key[1]));
      }
      Future.all(racing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

      for (int i = 0; i < issued.size(); i++) {
        String[] key = issued.get(i);
        assertThat(gw.gateway().store().key(key[1]))
            .hasValueSatisfying(
                k -> {
                  assertThat(k.status()).isEqualTo(KeyStatus.REVOKED);
                  assertThat(k.name()).isEqualTo("renamed");
                });
        assertThat(gw.gateway().index().get(gw.gateway().hasher().hash(key[0])))
            .satisfies(k -> assertThat(k.status()).isEqualTo(KeyStatus.REVOKED));
        if (i < 10) { // more refusals from one client would trip the brute-force guard (429)
          assertThat(gw.get("/users/1", "X-API-Key", key[0]).statusCode()).isEqualTo(401);
        }
      }
    }
  }

  private static KeySpec spec() {
    return new KeySpec("k", List.of("*"), List.of(), List.of(), null, null);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
