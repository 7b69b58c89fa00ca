package io.xecure.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.config.ClusterConfig;
import io.xecure.config.StoreConfig;
import io.xecure.portal.PortalFixture.Browser;
import io.xecure.portal.PortalFixture.Reply;
import io.xecure.store.jdbc.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer's {@code max_keys} holds however many creations race: concurrent {@code POST
 * /portal/api/keys} through the real portal listener, on H2 and on PostgreSQL, create exactly as
 * many keys as allowed, and every other one is refused with 409 and how many keys it holds.
 */
class PortalKeyAllowanceTest {
  /** Creations fired at once: several times the allowance, and more than the store's pool. */
  private static final int RACERS = 16;

  @TempDir Path dir;

  @Test
  void concurrentCreationsOnH2NeverExceedMaxKeys() throws Exception {
    try (PortalFixture portal = new PortalFixture(dir)) {
      race(portal);
    }
  }

  @Test
  void concurrentCreationsOnPostgresNeverExceedMaxKeys() throws Exception {
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip();
        PortalFixture portal =
            new PortalFixture(
                dir,
                new StoreConfig(
                    schema.url(), TestDatabases.postgresUser(), TestDatabases.postgresPassword()),
                new ClusterConfig(null))) {
      race(portal);
    }
  }

  /** The fixture's developer may hold two keys; it asks for {@link #RACERS} at once, twice. */
  private static void race(PortalFixture portal) throws Exception {
    Browser ada = portal.signedIn("Ada", "ada@example.com");
    List<Reply> first = fire(portal, ada, RACERS);
    assertThat(statuses(first, 201)).as("created in the first race").isEqualTo(2);
    assertRefused(first, RACERS - 2);
    assertThat(activeKeys(ada)).hasSize(2);

    // one revoked frees exactly one place, however many ask for it
    String revoked = activeKeys(ada).get(0);
    assertThat(ada.post("/portal/api/keys/" + revoked + "/revoke", null).status()).isEqualTo(200);
    List<Reply> second = fire(portal, ada, RACERS);
    assertThat(statuses(second, 201)).as("created in the second race").isEqualTo(1);
    assertRefused(second, RACERS - 1);
    assertThat(activeKeys(ada)).hasSize(2).doesNotContain(revoked);

    PortalFixture.Reply admin =
        portal.admin("GET", "/admin/keys?developer=" + ada.developerId + "&status=active", null);
    assertThat(admin.json().getJsonArray("items")).as("as the admin API sees it").hasSize(2);
  }

  /** {@code n} creations sent together (released by one latch), answered within a bound. */
  private static List<Reply> fire(PortalFixture portal, Browser browser, int n) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Reply>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(portal.portal("/portal/api/keys")))
              .timeout(Duration.ofSeconds(30))
              .header("content-type", "application/json")
              .header("x-csrf-token", String.valueOf(browser.csrf))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      new JsonObject().put("name", "racer " + i).encode()))
              .build();
      sent.add(
          CompletableFuture.supplyAsync(
                  () -> {
                    awaitQuietly(go);
                    return request;
                  })
              .thenCompose(r -> browser.client.sendAsync(r, HttpResponse.BodyHandlers.ofString()))
              .thenApply(Reply::of));
    }
    go.countDown();
    List<Reply> replies = new ArrayList<>();
    for (CompletableFuture<Reply> f : sent) {
      replies.add(f.get(60, TimeUnit.SECONDS));
    }
    return replies;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long statuses(List<Reply> replies, int status) {
    return replies.stream().filter(r -> r.status() == status).count();
  }

  private static void assertRefused(List<Reply> replies, int expected) {
    List<Reply> refused = replies.stream().filter(r -> r.status() != 201).toList();
    assertThat(refused).hasSize(expected);
    for (Reply r : refused) {
      assertThat(r.status()).as(r.body()).isEqualTo(409);
      assertThat(r.header("content-type")).startsWith("application/problem+json");
      assertThat(r.json().getString("detail")).contains("2 active keys of the 2 allowed");
    }
  }

  private static List<String> activeKeys(Browser browser) throws Exception {
    Reply list = browser.get("/portal/api/keys");
    assertThat(list.status()).isEqualTo(200);
    List<String> active = new ArrayList<>();
    list.json()
        .getJsonArray("items")
        .forEach(
            o -> {
              JsonObject k = (JsonObject) o;
              if ("active".equals(k.getString("status"))) {
                active.add(k.getString("id"));
              }
            });
    return active;
  }
}
