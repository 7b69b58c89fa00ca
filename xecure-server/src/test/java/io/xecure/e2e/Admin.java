package io.xecure.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The admin API as an operator's script uses it: JSON over HTTP with the Bearer token. */
final class Admin {
  final String base;
  final String token;

  /** Every response read through this client, so a test can search them. */
  final List<HttpResponse<String>> responses = new ArrayList<>();

  Admin(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  JsonObject createDeveloper(String name) throws Exception {
    return json(
        post("/admin/developers", new JsonObject().put("name", name).put("email", name + "@e.x")),
        201);
  }

  /** Issues a key for every API; the answer holds the plaintext in {@code key}. */
  JsonObject issueKey(String developerId, String name) throws Exception {
    JsonObject spec = new JsonObject().put("name", name).put("apis", new JsonArray().add("*"));
    return json(post("/admin/developers/" + developerId + "/keys", spec), 201);
  }

  JsonObject revoke(String keyId) throws Exception {
    return json(post("/admin/keys/" + keyId + "/revoke", new JsonObject()), 200);
  }

  /** Every item of a paginated list, following {@code next_cursor}. */
  List<JsonObject> listAll(String path) throws Exception {
    List<JsonObject> items = new ArrayList<>();
    String cursor = null;
    do {
      String sep = path.contains("?") ? "&" : "?";
      String page = path + sep + "limit=100" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonObject body = json(get(page), 200);
      body.getJsonArray("items").forEach(i -> items.add((JsonObject) i));
      cursor = body.getString("next_cursor");
    } while (cursor != null);
    return items;
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET().build());
  }

  HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return send(
        request(path)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build());
  }

  /** Any call with a JSON body ({@code PATCH}, {@code PUT}, ...), whatever its status. */
  HttpResponse<String> call(String method, String path, JsonObject body) throws Exception {
    return send(
        request(path)
            .header("content-type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body.encode()))
            .build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response =
        XecureProcess.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    responses.add(response);
    return response;
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new AssertionError(
          response.request().method()
              + " "
              + response.request().uri().getPath()
              + ": expected "
              + status
              + ", got "
              + response.statusCode()
              + " "
              + response.body());
    }
    return new JsonObject(response.body());
  }
}
