package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.admin.AdminFixture.Response;
import io.xecure.events.RequestEvent;
import io.xecure.keys.KeyOutcome;
import io.xecure.store.Store;
import io.xecure.testing.RequestEventBuilder;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over HTTP, on one store backend per subclass: what an operator sees, and what the
 * gateway's verifier decides right after each change.
 */
abstract class AdminApiContract {
  AdminFixture admin;

  abstract Store newStore(Path dir) throws Exception;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    admin = new AdminFixture(newStore(dir));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
  }

  @Test
  void issuedKeyIsShownOnceAndValidAtOnce() throws Exception {
    Response created =
        admin.post("/admin/developers", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
    assertThat(created.status()).isEqualTo(201);
    JsonObject developer = created.json();
    String devId = developer.getString("id");
    assertThat(devId).startsWith("dev_");
    assertThat(developer.getString("status")).isEqualTo("active");
    assertThat(developer.getString("created_at")).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(created.header("location")).isEqualTo("/admin/developers/" + devId);
    assertThat(created.header("x-request-id")).startsWith("req_");

    Response issued =
        admin.post(
            "/admin/developers/" + devId + "/keys",
            "{\"name\":\"ci\",\"apis\":[\"users\"],\"scopes\":[\"users:read\"],"
                + "\"allowed_cidrs\":[\"10.0.0.0/8\",\"2001:db8::1\"],\"plan\":\"pro\","
                + "\"expires_at\":\"2031-01-01T00:00:00+01:00\"}");
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.header("cache-control")).isEqualTo("no-store");
    JsonObject key = issued.json();
    String plaintext = key.getString("key");
    String keyId = key.getString("id");
    assertThat(plaintext).startsWith("xk_").hasSize(3 + 32 + 6);
    assertThat(keyId).startsWith("key_");
    assertThat(key.getString("display_prefix")).isEqualTo(plaintext.substring(3, 11));
    assertThat(key.getString("developer_id")).isEqualTo(devId);
    assertThat(key.getString("status")).isEqualTo("active");
    assertThat(key.getJsonArray("allowed_cidrs").getList())
        .containsExactly("10.0.0.0/8", "2001:db8:0:0:0:0:0:1/128");
    assertThat(key.getString("expires_at")).isEqualTo("2030-12-31T23:00:00Z");
    assertThat(key.getString("plan")).isEqualTo("pro");
    assertThat(admin.verify(plaintext)).isEqualTo(KeyOutcome.VALID);

    Response read = admin.get("/admin/keys/" + keyId);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().containsKey("key")).isFalse();
    assertThat(read.body()).doesNotContain(plaintext);
    assertThat(read.json().getString("display_prefix")).isEqualTo(plaintext.substring(3, 11));
    Response list = admin.get("/admin/keys?developer=" + devId);
    assertThat(list.body()).doesNotContain(plaintext).contains(keyId);
    assertThat(admin.get("/admin/events").body()).doesNotContain(plaintext);
  }

  @Test
  void revokedKeyIsRefusedAtOnce() throws Exception {
    String dev = admin.developer("bob");
    JsonObject key = admin.issue(dev);
    Response revoked = admin.post("/admin/keys/" + key.getString("id") + "/revoke", null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    assertThat(admin.verify(key.getString("key"))).isEqualTo(KeyOutcome.REVOKED);
    // idempotent: revoking again is not an error
    assertThat(admin.post("/admin/keys/" + key.getString("id") + "/revoke", null).status())
        .isEqualTo(200);
    assertThat(admin.get("/admin/keys/" + key.getString("id")).json().getString("status"))
        .isEqualTo("revoked");
  }

  @Test
  void rotationKeepsOldKeyUntilGraceEnds() throws Exception {
    String dev = admin.developer("carol");
    JsonObject old = admin.issue(dev);
    String oldId = old.getString("id");
    Response rotated = admin.post("/admin/keys/" + oldId + "/rotate", "{\"grace\":\"1h\"}");
    assertThat(rotated.status()).isEqualTo(201);
    JsonObject fresh = rotated.json();
    String newKey = fresh.getString("key");
    assertThat(newKey).isNotEqualTo(old.getString("key"));
    assertThat(fresh.getString("replaces_key_id")).isEqualTo(oldId);
    assertThat(fresh.getString("identity_id")).isEqualTo(oldId);
    assertThat(fresh.getJsonArray("scopes").getList()).containsExactly("users:read");
    assertThat(fresh.getJsonObject("replaced_key").getString("grace_until"))
        .isEqualTo("2030-01-01T01:00:00Z");
    assertThat(admin.verify(old.getString("key"))).isEqualTo(KeyOutcome.VALID);
    assertThat(admin.verify(newKey)).isEqualTo(KeyOutcome.VALID);

    admin.clock.advance(Duration.ofMinutes(59));
    assertThat(admin.verify(old.getString("key"))).isEqualTo(KeyOutcome.VALID);
    admin.clock.advance(Duration.ofMinutes(1));
    assertThat(admin.verify(old.getString("key"))).isEqualTo(KeyOutcome.EXPIRED);
    assertThat(admin.verify(newKey)).isEqualTo(KeyOutcome.VALID);
    assertThat(admin.get("/admin/keys/" + oldId).json().getString("status")).isEqualTo("expired");
    assertThat(admin.get("/admin/keys/" + oldId).body()).doesNotContain(newKey);

    // a rotated-out key cannot be rotated again: that would fork its identity
    Response again = admin.post("/admin/keys/" + oldId + "/rotate", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("code")).isEqualTo("conflict");
  }

  @Test
  void rotationWithoutGraceRevokesAtOnce() throws Exception {
    JsonObject old = admin.issue(admin.developer("dan"));
    Response rotated =
        admin.post("/admin/keys/" + old.getString("id") + "/rotate", "{\"grace\":\"0\"}");
    assertThat(rotated.status()).isEqualTo(201);
    assertThat(admin.verify(old.getString("key"))).isEqualTo(KeyOutcome.REVOKED);
    assertThat(admin.verify(rotated.json().getString("key"))).isEqualTo(KeyOutcome.VALID);
    Response bad =
        admin.post("/admin/keys/" + old.getString("id") + "/rotate", "{\"grace\":\"soon\"}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("grace");
  }

  @Test
  void suspendingADeveloperSuspendsItsKeys() throws Exception {
    String dev = admin.developer("erin");
    String plaintext = admin.issue(dev).getString("key");
    Response suspended =
        admin.call("PATCH", "/admin/developers/" + dev, "{\"status\":\"suspended\"}");
    assertThat(suspended.status()).isEqualTo(200);
    assertThat(suspended.json().getString("status")).isEqualTo("suspended");
    assertThat(suspended.json().getString("name")).isEqualTo("erin");
    assertThat(admin.verify(plaintext)).isEqualTo(KeyOutcome.DEVELOPER_SUSPENDED);
    admin.call("PATCH", "/admin/developers/" + dev, "{\"status\":\"active\",\"name\":\"Erin\"}");
    assertThat(admin.verify(plaintext)).isEqualTo(KeyOutcome.VALID);
    assertThat(admin.get("/admin/developers/" + dev).json().getString("name")).isEqualTo("Erin");
  }

  @Test
  void deletingADeveloperRevokesItsKeys() throws Exception {
    String dev = admin.developer("fay");
    JsonObject a = admin.issue(dev);
    JsonObject b = admin.issue(dev);
    Response deleted = admin.call("DELETE", "/admin/developers/" + dev, null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().getInteger("revoked_keys")).isEqualTo(2);
    assertThat(admin.verify(a.getString("key"))).isEqualTo(KeyOutcome.REVOKED);
    assertThat(admin.verify(b.getString("key"))).isEqualTo(KeyOutcome.REVOKED);
    assertThat(admin.get("/admin/developers/" + dev).status()).isEqualTo(404);
    assertThat(admin.call("DELETE", "/admin/developers/" + dev, null).status()).isEqualTo(404);
  }

  @Test
  void bulkImportReportsByLineWithoutPlaintexts() throws Exception {
    String dev = admin.developer("gus");
    String good = "legacy-key-0123456789abcdef";
    String shortOne = "short-key-123";
    String body = good + "\n" + shortOne + "\r\n" + good + "\n\n";
    Response r =
        admin.send(
            admin
                .authorized(
                    "/admin/developers/" + dev + "/keys/import?apis=users&scopes=users:read")
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(r.status()).isEqualTo(200);
    JsonObject result = r.json();
    assertThat(result.getInteger("imported")).isEqualTo(1);
    assertThat(result.getInteger("failed")).isEqualTo(2);
    assertThat(result.getJsonArray("errors"))
        .isEqualTo(
            new JsonArray()
                .add(new JsonObject().put("line", 2).put("error", "too short"))
                .add(new JsonObject().put("line", 3).put("error", "duplicate")));
    assertThat(r.body()).doesNotContain(good).doesNotContain(shortOne);
    assertThat(admin.verify(good)).isEqualTo(KeyOutcome.VALID);

    JsonObject imported = admin.get("/admin/keys?developer=" + dev).items().getJsonObject(0);
    assertThat(imported.getString("display_prefix")).isEqualTo("legacy-k");
    assertThat(imported.getJsonArray("apis").getList()).containsExactly("users");
    assertThat(imported.getString("name")).isEqualTo("imported");

    // the JSON form; an already stored key is a duplicate too
    Response json =
        admin.post(
            "/admin/developers/" + dev + "/keys/import",
            "[\"" + good + "\", \"another-legacy-key-000000\"]");
    assertThat(json.json().getInteger("imported")).isEqualTo(1);
    assertThat(json.json().getJsonArray("errors").getJsonObject(0).getInteger("line")).isEqualTo(1);
    assertThat(admin.verify("another-legacy-key-000000")).isEqualTo(KeyOutcome.VALID);
  }

  @Test
  void singleImportTakesAnExistingPlaintextOnce() throws Exception {
    String dev = admin.developer("hal");
    String body = "{\"name\":\"old\",\"apis\":[\"*\"],\"key\":\"moved-from-kong-1234567890\"}";
    Response r = admin.post("/admin/developers/" + dev + "/keys", body);
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().getString("display_prefix")).isEqualTo("moved-fr");
    assertThat(admin.verify("moved-from-kong-1234567890")).isEqualTo(KeyOutcome.VALID);
    Response again = admin.post("/admin/developers/" + dev + "/keys", body);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body()).doesNotContain("moved-from-kong");
    Response tooShort =
        admin.post(
            "/admin/developers/" + dev + "/keys",
            "{\"name\":\"old\",\"apis\":[\"*\"],\"key\":\"short-one\"}");
    assertThat(tooShort.status()).isEqualTo(422);
    assertThat(tooShort.body()).doesNotContain("short-one");
  }

  @Test
  void leakReportRevokesAndNeverEchoes() throws Exception {
    JsonObject key = admin.issue(admin.developer("ivy"));
    String plaintext = key.getString("key");
    admin.clock.advance(Duration.ofSeconds(1));
    Response r = admin.post("/admin/keys/leaked", new JsonObject().put("key", plaintext).encode());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("id")).isEqualTo(key.getString("id"));
    assertThat(r.json().getString("status")).isEqualTo("revoked");
    assertThat(r.body()).doesNotContain(plaintext);
    assertThat(admin.verify(plaintext)).isEqualTo(KeyOutcome.REVOKED);
    JsonArray events = admin.get("/admin/events").items();
    assertThat(events.getJsonObject(0).getString("action")).isEqualTo("key.leaked");
    assertThat(events.getJsonObject(0).getString("target")).isEqualTo(key.getString("id"));

    String unknown = admin.format.generate();
    Response missing =
        admin.post("/admin/keys/leaked", new JsonObject().put("key", unknown).encode());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).doesNotContain(unknown);
  }

  @Test
  void patchChangesRightsAndClearsOptionalFields() throws Exception {
    JsonObject key = admin.issue(admin.developer("jan"));
    String path = "/admin/keys/" + key.getString("id");
    Response patched =
        admin.call(
            "PATCH",
            path,
            "{\"apis\":[\"users\",\"analytics\"],\"allowed_cidrs\":[\"192.168.1.7\"],"
                + "\"expires_at\":\"2030-06-01T00:00:00Z\",\"plan\":\"free\"}");
    assertThat(patched.status()).isEqualTo(200);
    JsonObject json = patched.json();
    assertThat(json.getJsonArray("apis").getList()).containsExactly("users", "analytics");
    assertThat(json.getJsonArray("allowed_cidrs").getList()).containsExactly("192.168.1.7/32");
    assertThat(json.getString("expires_at")).isEqualTo("2030-06-01T00:00:00Z");
    assertThat(json.getString("name")).isEqualTo("ci");
    assertThat(
            Objects.requireNonNull(admin.index.get(admin.hasher.hash(key.getString("key"))))
                .grants("analytics"))
        .isTrue();

    Response cleared = admin.call("PATCH", path, "{\"expires_at\":null,\"plan\":null}");
    assertThat(cleared.json().getValue("expires_at")).isNull();
    assertThat(cleared.json().getValue("plan")).isNull();
    assertThat(cleared.json().getJsonArray("apis").getList()).containsExactly("users", "analytics");
  }

  @Test
  void expiryByTimeShowsInStatusAndFilters() throws Exception {
    String dev = admin.developer("kim");
    String soon =
        admin
            .post(
                "/admin/developers/" + dev + "/keys",
                "{\"name\":\"t\",\"apis\":[\"*\"],\"expires_at\":\"2030-01-01T00:10:00Z\"}")
            .json()
            .getString("id");
    admin.clock.advance(Duration.ofMillis(1)); // ids are time-ordered
    String later = admin.issue(dev).getString("id");
    admin.clock.advance(Duration.ofMinutes(10));
    assertThat(ids(admin.get("/admin/keys?status=expired&developer=" + dev))).containsExactly(soon);
    assertThat(ids(admin.get("/admin/keys?status=active&developer=" + dev))).containsExactly(later);
    assertThat(ids(admin.get("/admin/keys?developer=" + dev))).containsExactly(soon, later);
  }

  @Test
  void listsPageWithCursors() throws Exception {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(admin.developer("dev" + i));
      admin.clock.advance(Duration.ofMillis(1)); // ids are time-ordered
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Response page =
          admin.get("/admin/developers?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.items().size()).isLessThanOrEqualTo(2);
      seen.addAll(ids(page));
      cursor = page.json().getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(created);
    assertThat(pages).isEqualTo(3);

    String dev = created.get(0);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(admin.issue(dev).getString("id"));
      admin.clock.advance(Duration.ofMillis(1));
    }
    Response first = admin.get("/admin/keys?developer=" + dev + "&limit=2");
    assertThat(ids(first)).containsExactlyElementsOf(keys.subList(0, 2));
    Response second =
        admin.get(
            "/admin/keys?developer="
                + dev
                + "&limit=2&cursor="
                + first.json().getString("next_cursor"));
    assertThat(ids(second)).containsExactly(keys.get(2));
    assertThat(second.json().getValue("next_cursor")).isNull();
  }

  @Test
  void everyAdminChangeIsAnEvent() throws Exception {
    String dev = admin.developer("lou");
    admin.clock.advance(Duration.ofSeconds(1));
    JsonObject key = admin.issue(dev);
    admin.clock.advance(Duration.ofSeconds(1));
    admin.post("/admin/keys/" + key.getString("id") + "/revoke", null);
    JsonArray items = admin.get("/admin/events?limit=10").items();
    List<String> actions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject e = items.getJsonObject(i);
      assertThat(e.getString("actor")).isEqualTo("admin");
      actions.add(e.getString("action"));
    }
    assertThat(actions).containsExactly("key.revoked", "key.created", "developer.created");
  }

  @Test
  void eventsOfBothKindsAreFilteredAndPagedNewestFirst() throws Exception {
    String dev = admin.developer("eve"); // developer.created at START
    admin.clock.advance(Duration.ofSeconds(1));
    admin.issue(dev); // key.created at START + 1 s
    List<RequestEvent> requests = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      boolean denied = i % 4 == 0;
      requests.add(
          (denied
                  ? RequestEventBuilder.event(AdminFixture.START.plusMillis(500 + i * 100L))
                      .denied(401, "key_invalid", "revoked")
                  : RequestEventBuilder.event(AdminFixture.START.plusMillis(500 + i * 100L))
                      .key("key_x", "dev_x"))
              // between and after the admin events
              .requestId("rq" + i)
              .node("node-a")
              .path("/users/" + i)
              .clientIp("198.51.100.1")
              .latencies(100, 50)
              .build());
    }
    admin.store.appendRequestEvents(requests);

    // page ends on a request event, on the request event and the admin event of the same time
    for (int limit : List.of(5, 7, 8)) {
      assertThat(allEvents(limit))
          .as("pages of " + limit)
          .containsExactly(
              "rq11",
              "rq10",
              "rq9",
              "rq8",
              "rq7",
              "rq6",
              "rq5",
              "key.created",
              "rq4",
              "rq3",
              "rq2",
              "rq1",
              "rq0",
              "developer.created");
    }

    assertThat(requestIds(admin.get("/admin/events?outcome=denied&code=key_invalid")))
        .containsExactly("rq8", "rq4", "rq0");
    assertThat(
            requestIds(
                admin.get(
                    "/admin/events?key=key_x&from=2030-01-01T00:00:01Z&to=2030-01-01T00:00:01.300Z")))
        .containsExactly("rq7", "rq6", "rq5");
    assertThat(admin.get("/admin/events?type=admin").items()).hasSize(2);
    assertThat(admin.get("/admin/events?action=key.created").items()).hasSize(1);
    assertThat(admin.get("/admin/events?type=request&limit=1000").items()).hasSize(12);
    assertThat(admin.get("/admin/events?to=2030-01-01").items()).isEmpty();

    Response mixed = admin.get("/admin/events?type=admin&outcome=denied&from=x&cursor=nope");
    assertThat(mixed.status()).isEqualTo(422);
    assertThat(
            mixed.json().getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getString("field")))
        .containsExactlyInAnyOrder("outcome", "from", "cursor");
  }

  private List<String> allEvents(int limit) throws Exception {
    List<String> all = new ArrayList<>();
    String cursor = null;
    do {
      Response page =
          admin.get("/admin/events?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      for (Object item : page.items()) {
        JsonObject e = (JsonObject) item;
        boolean request = "request".equals(e.getString("type"));
        all.add(request ? e.getString("request_id") : e.getString("action"));
      }
      cursor = page.json().getString("next_cursor");
    } while (cursor != null);
    return all;
  }

  private static List<String> requestIds(Response page) {
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (Object item : page.items()) {
      ids.add(((JsonObject) item).getString("request_id"));
    }
    return ids;
  }

  static List<String> ids(Response page) {
    List<String> ids = new ArrayList<>();
    JsonArray items = page.items();
    for (int i = 0; i < items.size(); i++) {
      ids.add(items.getJsonObject(i).getString("id"));
    }
    return ids;
  }

  static List<String> names(Response page) {
    List<String> names = new ArrayList<>();
    JsonArray items = page.items();
    for (int i = 0; i < items.size(); i++) {
      names.add(items.getJsonObject(i).getString("name"));
    }
    return names;
  }
}
