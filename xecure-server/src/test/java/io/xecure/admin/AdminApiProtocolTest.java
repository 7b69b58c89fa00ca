package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.admin.AdminFixture.Response;
import io.xecure.testing.MemoryStore;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication, problem+json for every kind of error, media types, limits and health. */
class AdminApiProtocolTest {
  private final MemoryStore store = new MemoryStore();
  private AdminFixture admin;

  @BeforeEach
  void start() throws Exception {
    admin = new AdminFixture(store);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
  }

  @Test
  void adminCallsNeedTheBearerToken() throws Exception {
    Response none = admin.send(admin.request("/admin/developers"));
    assertProblem(none, 401, "unauthorized");
    assertThat(none.header("www-authenticate")).isEqualTo("Bearer realm=\"xecure-admin\"");

    Response wrong =
        admin.send(admin.request("/admin/developers").header("authorization", "Bearer nope"));
    assertProblem(wrong, 401, "unauthorized");
    Response basic =
        admin.send(
            admin
                .request("/admin/developers")
                .header("authorization", "Basic " + AdminFixture.TOKEN));
    assertProblem(basic, 401, "unauthorized");
    // an unknown admin path does not tell an anonymous caller whether it exists
    assertProblem(admin.send(admin.request("/admin/nothing-here")), 401, "unauthorized");

    Response lower =
        admin.send(
            admin
                .request("/admin/developers")
                .header("authorization", "bearer " + AdminFixture.TOKEN));
    assertThat(lower.status()).isEqualTo(200);
  }

  @Test
  void healthAndOpenApiNeedNoToken() throws Exception {
    Response health = admin.send(admin.request("/health"));
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("ok");
    admin.ready.set(false);
    assertThat(admin.send(admin.request("/health")).status()).isEqualTo(503);

    Response doc = admin.send(admin.request("/admin/openapi.json"));
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.json().getString("openapi")).startsWith("3.1");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    assertProblem(admin.post("/admin/developers", "{\"name\": "), 400, "bad_request");
  }

  @Test
  void invalidFieldsAre422NamingEachField() throws Exception {
    Response r =
        admin.post(
            "/admin/developers", "{\"name\": 42, \"email\": \"no-at-sign\", \"role\": \"x\"}");
    assertProblem(r, 422, "validation_failed");
    assertThat(fields(r)).containsExactlyInAnyOrder("name", "email", "role");

    Response notObject = admin.post("/admin/developers", "[1,2]");
    assertProblem(notObject, 422, "validation_failed");
    assertThat(fields(notObject)).containsExactly("body");
  }

  @Test
  void keyFieldsAreValidated() throws Exception {
    String dev = admin.developer("val");
    Response r =
        admin.post(
            "/admin/developers/" + dev + "/keys",
            "{\"name\":\"k\",\"apis\":\"users\",\"scopes\":[\"a b\"],"
                + "\"allowed_cidrs\":[\"10.0.0.0/33\",\"example.com\",\"1.2.3\",\"::1/64\"],"
                + "\"expires_at\":\"tomorrow\",\"plan\":\"gold\"}");
    assertProblem(r, 422, "validation_failed");
    assertThat(fields(r))
        .containsExactlyInAnyOrder(
            "apis",
            "scopes[0]",
            "allowed_cidrs[0]",
            "allowed_cidrs[1]",
            "allowed_cidrs[2]",
            "expires_at",
            "plan");
    Response missing = admin.post("/admin/developers/" + dev + "/keys", "{}");
    assertThat(fields(missing)).containsExactlyInAnyOrder("name", "apis");
    Response past =
        admin.post(
            "/admin/developers/" + dev + "/keys",
            "{\"name\":\"k\",\"apis\":[\"*\"],\"expires_at\":\"2020-01-01T00:00:00Z\"}");
    assertThat(fields(past)).containsExactly("expires_at");
    Response query = admin.get("/admin/keys?limit=0&status=gone");
    assertProblem(query, 422, "validation_failed");
  }

  @Test
  void wrongMediaTypeIs415() throws Exception {
    Response r =
        admin.send(
            admin
                .authorized("/admin/developers")
                .header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=x")));
    assertProblem(r, 415, "unsupported_media_type");
    String dev = admin.developer("media");
    Response bulk =
        admin.send(
            admin
                .authorized("/admin/developers/" + dev + "/keys/import")
                .header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("abc")));
    assertProblem(bulk, 415, "unsupported_media_type");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    String big = "{\"name\":\"" + "x".repeat((int) AdminApi.JSON_BODY_LIMIT) + "\"}";
    assertProblem(admin.post("/admin/developers", big), 413, "body_too_large");
  }

  @Test
  void unknownRoutesAndIdsAre404AndWrongMethodsAre405() throws Exception {
    assertProblem(admin.get("/admin/widgets"), 404, "not_found");
    assertProblem(admin.get("/nowhere"), 404, "not_found");
    assertProblem(admin.get("/admin/developers/dev_missing"), 404, "not_found");
    assertProblem(admin.get("/admin/keys/key_missing"), 404, "not_found");
    assertProblem(admin.post("/admin/keys/key_missing/revoke", null), 404, "not_found");
    assertProblem(
        admin.post("/admin/developers/dev_missing/keys", "{\"name\":\"k\",\"apis\":[\"*\"]}"),
        404,
        "not_found");
    assertProblem(admin.get("/admin/plans/gold"), 404, "not_found");
    assertProblem(admin.get("/admin/apis/nope"), 404, "not_found");

    Response put = admin.call("PUT", "/admin/developers/dev_x", "{}");
    assertProblem(put, 405, "method_not_allowed");
    assertThat(put.header("allow")).isEqualTo("GET, PATCH, DELETE");
  }

  @Test
  void storeOutageIs503() throws Exception {
    store.failing(true);
    assertProblem(admin.get("/admin/developers"), 503, "store_unavailable");
    assertProblem(
        admin.post("/admin/developers", "{\"name\":\"a\",\"email\":\"a@b.c\"}"),
        503,
        "store_unavailable");
  }

  @Test
  void apisAndPlansAreReadable() throws Exception {
    Response apis = admin.get("/admin/apis");
    assertThat(apis.items().getJsonObject(0).getString("name")).isEqualTo("users");
    assertThat(admin.get("/admin/apis/users").json().getString("path")).isEqualTo("/users");
    Response plans = admin.get("/admin/plans");
    assertThat(AdminApiContract.names(plans)).containsExactly("free", "pro");
    assertThat(admin.get("/admin/plans/free").json().getJsonObject("quota").getString("per"))
        .isEqualTo("month");
  }

  private static void assertProblem(Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    JsonObject json = r.json();
    assertThat(json.getInteger("status")).isEqualTo(status);
    assertThat(json.getString("code")).isEqualTo(code);
    assertThat(json.getString("type")).isNotBlank();
    assertThat(json.getString("title")).isNotBlank();
    assertThat(json.getString("detail")).isNotBlank();
    assertThat(json.getString("request_id")).isEqualTo(r.header("x-request-id")).startsWith("req_");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static List<String> fields(Response r) {
    List<String> fields = new ArrayList<>();
    var errors = r.json().getJsonArray("errors");
    for (int i = 0; i < errors.size(); i++) {
      fields.add(errors.getJsonObject(i).getString("field"));
    }
    return fields;
  }
}
