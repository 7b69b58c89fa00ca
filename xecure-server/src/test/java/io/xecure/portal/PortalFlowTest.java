package io.xecure.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.portal.PortalFixture.Browser;
import io.xecure.portal.PortalFixture.Reply;
import io.xecure.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer's whole way through the portal, over the real listeners: invited by an operator,
 * accepts, signs in, creates a key that the gateway then serves, rotates it, sees its usage and
 * quota, revokes it and is refused.
 */
class PortalFlowTest {
  @TempDir Path dir;
  private PortalFixture portal;

  @BeforeEach
  void start() throws Exception {
    portal = new PortalFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    portal.close();
  }

  @Test
  void invitedDeveloperManagesItsOwnKeysAndTheGatewayObeys() throws Exception {
    String id = portal.developer("Ada", "Ada@Example.com");
    String link = portal.invite(id);
    assertThat(link).startsWith(portal.portal("/invite/xpi_"));

    Browser ada = portal.new Browser(id);
    Reply page = ada.get(link.substring(link.indexOf("/invite/")));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    Reply accepted = ada.accept(PortalFixture.token(link), PortalFixture.PASSWORD);
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(accepted.json().getString("email")).isEqualTo("ada@example.com");

    assertThat(ada.signIn("ada@example.com", PortalFixture.PASSWORD).status()).isEqualTo(201);
    Reply me = ada.get("/portal/api/session");
    assertThat(me.json().getJsonObject("developer").getString("id")).isEqualTo(id);
    assertThat(me.json().getJsonObject("allowance").getInteger("max_keys")).isEqualTo(2);

    Reply created = ada.createKey("laptop");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String key = created.json().getString("key");
    String keyId = created.json().getString("id");
    assertThat(created.json().getJsonArray("apis").getList()).containsExactly("users");
    assertThat(portal.callGateway("/users/1", key)).isEqualTo(200);
    assertThat(portal.upstream.last().uri()).isEqualTo("/users/1");
    assertThat(portal.callGateway("/orders/1", key))
        .as("an API outside the allowance")
        .isEqualTo(403);

    Reply rotated = ada.post("/portal/api/keys/" + keyId + "/rotate", null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
    String successor = rotated.json().getString("key");
    String successorId = rotated.json().getString("id");
    assertThat(rotated.json().getJsonObject("replaced_key").getString("grace_until")).isNotNull();
    assertThat(portal.callGateway("/users/2", successor)).isEqualTo(200);
    assertThat(portal.callGateway("/users/3", key))
        .as("the old key, within its grace")
        .isEqualTo(200);

    // the last request's usage is counted as its response ends, which may follow the answer
    Reply usage =
        Eventually.await(
            "three granted requests in the usage",
            () -> {
              portal.gateway.usageFlusher().flush();
              return ada.get("/portal/api/usage?interval=minute");
            },
            r ->
                r.status() == 200
                    && r.json().getJsonArray("series").size() == 1
                    && r.json().getJsonArray("series").getJsonObject(0).getLong("granted") == 3);
    assertThat(usage.status()).as(usage.body()).isEqualTo(200);
    assertThat(usage.json().getJsonArray("series")).hasSize(1); // one identity: the chain
    assertThat(usage.json().getJsonArray("series").getJsonObject(0).getLong("granted"))
        .isEqualTo(3);
    Reply quota = ada.get("/portal/api/quota");
    JsonObject row = quota.json().getJsonArray("items").getJsonObject(0);
    assertThat(row.getString("plan")).isEqualTo("free");
    assertThat(row.getLong("limit")).isEqualTo(1000);
    assertThat(row.getLong("remaining")).isEqualTo(997);

    Reply apis = ada.get("/portal/api/apis");
    JsonObject users = apis.json().getJsonArray("items").getJsonObject(0);
    assertThat(apis.json().getJsonArray("items")).hasSize(1);
    assertThat(users.getString("name")).isEqualTo("users");
    assertThat(users.getJsonArray("examples").getString(0))
        .isEqualTo(
            "curl -s http://127.0.0.1:"
                + portal.gateway.gatewayPort()
                + "/users -H 'x-api-key: YOUR_KEY'");

    assertThat(ada.post("/portal/api/keys/" + successorId + "/revoke", null).status())
        .isEqualTo(200);
    assertThat(ada.post("/portal/api/keys/" + keyId + "/revoke", null).status()).isEqualTo(200);
    assertThat(portal.callGateway("/users/4", successor)).isEqualTo(401);
    assertThat(portal.callGateway("/users/5", key)).isEqualTo(401);

    Reply events = portal.admin("GET", "/admin/events?type=admin&actor=developer:" + id, null);
    assertThat(events.body())
        .contains("\"key.created\"", "\"key.rotated\"", "\"key.revoked\"")
        .doesNotContain(key)
        .doesNotContain(successor);
  }

  @Test
  void keysStayWithinTheAllowance() throws Exception {
    Browser b = portal.signedIn("Bo", "bo@example.com");

    Reply outside =
        b.post(
            "/portal/api/keys",
            new JsonObject()
                .put("name", "x")
                .put("apis", new io.vertx.core.json.JsonArray().add("orders"))
                .encode());
    assertThat(outside.status()).isEqualTo(422);
    Reply scope =
        b.post(
            "/portal/api/keys",
            new JsonObject()
                .put("name", "x")
                .put("scopes", new io.vertx.core.json.JsonArray().add("admin"))
                .encode());
    assertThat(scope.status()).isEqualTo(422);
    assertThat(b.createKey("one").status()).isEqualTo(201);
    assertThat(b.createKey("two").status()).isEqualTo(201);
    Reply third = b.createKey("three");
    assertThat(third.status()).isEqualTo(409);
    assertThat(third.json().getString("detail")).contains("2 active keys of the 2 allowed");
    assertThat(b.get("/portal/api/keys").json().getJsonArray("items")).hasSize(2);
  }

  @Test
  void invitationsAreSingleUseAndExpire() throws Exception {
    String id = portal.developer("Cy", "cy@example.com");
    Browser cy = portal.new Browser(id);
    String first = PortalFixture.token(portal.invite(id));
    assertThat(cy.accept(first, PortalFixture.PASSWORD).status()).isEqualTo(200);
    Reply reused = cy.accept(first, "another long password");
    assertThat(reused.status()).isEqualTo(404);
    assertThat(cy.signIn("cy@example.com", "another long password").status()).isEqualTo(401);

    String second = PortalFixture.token(portal.invite(id));
    portal.clock.advance(Duration.ofHours(72));
    assertThat(cy.accept(second, "another long password").status()).isEqualTo(404);
    assertThat(cy.accept("xpi_" + "a".repeat(40), "another long password").status()).isEqualTo(404);
    assertThat(cy.accept(first, "short").status()).isEqualTo(422);

    Reply shortLived =
        portal.admin(
            "POST", "/admin/developers/" + id + "/invitations", "{\"expires_in\":\"10m\"}");
    assertThat(shortLived.status()).isEqualTo(201);
    portal.clock.advance(Duration.ofMinutes(9));
    assertThat(
            cy.accept(
                    PortalFixture.token(shortLived.json().getString("url")), "a new long password")
                .status())
        .isEqualTo(200);
    assertThat(cy.signIn("cy@example.com", "a new long password").status()).isEqualTo(201);
  }
}
