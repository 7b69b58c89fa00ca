package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.xecure.config.ApiConfig;
import io.xecure.config.ConfigJson;
import io.xecure.policy.access.AccessRule;
import io.xecure.policy.cors.CorsConfig;
import io.xecure.testing.ApiConfigBuilder;
import io.xecure.testing.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document (openapi.json with each policy's fields) describes exactly what the
 * router serves and what the API resources hold.
 */
class OpenApiSyncTest {
  private static final Set<String> OPERATIONS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static AdminFixture admin;
  private static JsonObject doc;

  @BeforeAll
  static void load() throws Exception {
    admin = new AdminFixture(new MemoryStore());
    doc = new JsonObject(new String(OpenApiDocument.bytes(), StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
  }

  @Test
  void everyServedRouteIsDocumentedAndViceVersa() {
    Router router = admin.api.router();
    Set<String> served = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        continue; // handlers for every path (request id, auth, failures), not endpoints
      }
      for (HttpMethod m : route.methods()) {
        served.add(m.name() + " " + route.getPath().replaceAll(":([A-Za-z_]+)", "{$1}"));
      }
    }
    Set<String> documented = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String op : paths.getJsonObject(path).fieldNames()) {
        if (OPERATIONS.contains(op)) {
          documented.add(op.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    assertThat(served).isNotEmpty().isEqualTo(documented);
    Set<String> listed = new TreeSet<>();
    admin.api.endpoints().forEach(e -> listed.add(e.method() + " " + e.path()));
    assertThat(listed).isEqualTo(served);
  }

  @Test
  void documentIsOpenApi31AndEveryReferenceResolves() {
    assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
    Matcher refs = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/([^\"]+)\"").matcher(doc.encode());
    int count = 0;
    while (refs.find()) {
      Object target = doc;
      for (String part : refs.group(1).split("/")) {
        target = target instanceof JsonObject o ? o.getValue(part) : null;
      }
      assertThat(target).as(refs.group(1)).isNotNull();
      count++;
    }
    assertThat(count).isGreaterThan(20);
  }

  @Test
  void apiSchemaHoldsExactlyTheFieldsAnApiIsWrittenWith() {
    ApiConfig full =
        ApiConfigBuilder.api("users", "/users", "http://127.0.0.1:9000")
            .defaultPlan("free")
            .cors(new CorsConfig(List.of("*"), List.of("GET"), List.of(), 600))
            .access(new AccessRule(List.of(), "/**", List.of("users:read")))
            .build();
    ApiConfig minimal = ApiConfigBuilder.api("min", "/", "http://127.0.0.1:9000").build();
    JsonObject api = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Api");

    assertThat(api.getJsonObject("properties").fieldNames())
        .containsExactlyElementsOf(fields(full))
        .contains("key_auth", "default_plan", "cors", "access");
    assertThat(api.getJsonArray("required").getList()).containsExactlyElementsOf(fields(minimal));
    assertThat(
            doc.getJsonObject("components")
                .getJsonObject("schemas")
                .getJsonObject("ApiPut")
                .getJsonObject("properties")
                .fieldNames())
        .containsExactlyElementsOf(fields(full));
  }

  private static List<String> fields(ApiConfig api) {
    List<String> names = new ArrayList<>();
    ConfigJson.toJson(api).fieldNames().forEachRemaining(names::add);
    return names;
  }
}
