package io.xecure.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xecure.accounts.SignInThrottle;
import io.xecure.config.ClusterConfig;
import io.xecure.config.StoreConfig;
import io.xecure.portal.PortalFixture.Browser;
import io.xecure.portal.PortalFixture.Reply;
import io.xecure.redis.TestRedis;
import io.xecure.store.jdbc.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in throttling is the cluster's, not a node's: two gateways on one PostgreSQL and one Redis
 * share one budget of refused sign-ins per account and per client address, for the portal and for
 * operators alike, so a guesser gains nothing by spreading its guesses over the nodes. Skipped
 * without PostgreSQL and Redis (failed with {@code XECURE_REQUIRE_SERVICES=1}).
 */
class SignInClusterTest {
  private static final String OPERATOR_PASSWORD = "correct horse battery staple";

  @TempDir Path dir;
  private final String prefix = TestRedis.prefix();
  private TestDatabases.@Nullable PostgresSchema schema;
  private @Nullable PortalFixture a;
  private @Nullable PortalFixture b;

  @BeforeEach
  void start() throws Exception {
    TestRedis.requireOrSkip();
    schema = TestDatabases.postgresOrSkip();
    a = node("a");
    b = node("b");
  }

  private PortalFixture node(String name) throws Exception {
    TestDatabases.PostgresSchema s = java.util.Objects.requireNonNull(schema);
    return new PortalFixture(
        dir.resolve(name),
        new StoreConfig(s.url(), TestDatabases.postgresUser(), TestDatabases.postgresPassword()),
        // Redis may take longer than the production bound on a busy test machine: no fallback
        new ClusterConfig(
            TestRedis.url(),
            Duration.ofSeconds(2),
            prefix,
            ClusterConfig.DEFAULT_POLL_INTERVAL,
            ClusterConfig.DEFAULT_MAX_STALENESS,
            true,
            ClusterConfig.DEFAULT_HEARTBEAT_INTERVAL));
  }

  @AfterEach
  void stop() throws Exception {
    for (PortalFixture node : new PortalFixture[] {b, a}) {
      if (node != null) {
        node.close();
      }
    }
    if (schema != null) {
      schema.close();
    }
    Vertx vertx = Vertx.vertx();
    try {
      TestRedis.deleteAll(vertx, prefix);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPortalAccountsRefusedSignInsOnOneNodeCountOnTheOther() throws Exception {
    PortalFixture nodeA = java.util.Objects.requireNonNull(a);
    PortalFixture nodeB = java.util.Objects.requireNonNull(b);
    Browser onA = nodeA.signedIn("Ada", "ada@example.com");
    Browser onB = nodeB.new Browser(onA.developerId);
    int threshold = SignInThrottle.PER_ACCOUNT.threshold();

    for (int i = 0; i < threshold - 1; i++) {
      assertThat(onA.signIn("ada@example.com", "wrong password " + i).status()).isEqualTo(401);
    }
    assertThat(onB.signIn("ada@example.com", PortalFixture.PASSWORD).status())
        .as("one failure short of the budget: B still lets the right password in")
        .isEqualTo(201);
    assertThat(onB.signIn("ADA@example.com", "wrong password on B").status()).isEqualTo(401);

    for (Browser browser : new Browser[] {onA, onB}) {
      Reply blocked = browser.signIn("ada@example.com", PortalFixture.PASSWORD);
      assertThat(blocked.status()).as(blocked.body()).isEqualTo(429);
      assertThat(blocked.json().getString("code")).isEqualTo("too_many_failures");
    }
  }

  @Test
  void aClientsRefusedPortalSignInsAcrossAccountsAndNodesShareOneBudget() throws Exception {
    PortalFixture nodeA = java.util.Objects.requireNonNull(a);
    PortalFixture nodeB = java.util.Objects.requireNonNull(b);
    Browser onA = nodeA.signedIn("Ada", "ada@example.com");
    Browser onB = nodeB.new Browser(onA.developerId);
    int threshold = SignInThrottle.PER_CLIENT.threshold();

    for (int i = 0; i < threshold; i++) {
      // a different account each time, half through each node: no account nor node sees enough
      Browser via = i % 2 == 0 ? onA : onB;
      assertThat(via.signIn("guess" + i + "@example.com", "wrong password").status())
          .isEqualTo(401);
    }
    assertThat(onA.signIn("ada@example.com", PortalFixture.PASSWORD).status()).isEqualTo(429);
    assertThat(onB.signIn("ada@example.com", PortalFixture.PASSWORD).status()).isEqualTo(429);
  }

  @Test
  void anOperatorsRefusedSignInsOnOneNodeCountOnTheOther() throws Exception {
    PortalFixture nodeA = java.util.Objects.requireNonNull(a);
    PortalFixture nodeB = java.util.Objects.requireNonNull(b);
    Reply created =
        nodeA.admin(
            "POST",
            "/admin/operators",
            new JsonObject()
                .put("email", "oscar@example.com")
                .put("name", "Oscar")
                .put("role", "operator")
                .put("password", OPERATOR_PASSWORD)
                .encode());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    int threshold = SignInThrottle.PER_ACCOUNT.threshold();

    for (int i = 0; i < threshold; i++) {
      assertThat(operatorSignIn(nodeA, "oscar@example.com", "wrong password " + i).status())
          .isEqualTo(401);
    }
    Reply blocked = operatorSignIn(nodeB, "oscar@example.com", OPERATOR_PASSWORD);
    assertThat(blocked.status()).as(blocked.body()).isEqualTo(429);
    assertThat(blocked.json().getString("code")).isEqualTo("too_many_failures");
    // the portal's sign-ins count apart: the operator's email is no developer's budget
    assertThat(nodeB.new Browser("nobody").signIn("oscar@example.com", "wrong password").status())
        .isEqualTo(401);
  }

  private static Reply operatorSignIn(PortalFixture node, String email, String password)
      throws Exception {
    return node.admin(
        "POST",
        "/admin/session",
        new JsonObject().put("email", email).put("password", password).encode());
  }
}
