package io.xecure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.xecure.testing.MemoryStore;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hand-written openapi.json describes exactly what the router serves. */
class OpenApiSyncTest {
  private static final Set<String> OPERATIONS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static AdminFixture admin;
  private static JsonObject doc;

  @BeforeAll
  static void load() throws Exception {
    admin = new AdminFixture(new MemoryStore());
    try (InputStream in =
        Objects.requireNonNull(OpenApiSyncTest.class.getResourceAsStream("/openapi.json"))) {
      doc = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
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
}
