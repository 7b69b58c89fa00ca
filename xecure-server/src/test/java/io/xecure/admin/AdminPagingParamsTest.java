package io.xecure.admin;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import io.xecure.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 7 item 13: a tampered paging cursor, limit or time range on any list of the admin API is
 * the caller's mistake, answered as every invalid query parameter of the admin API is (422
 * problem+json {@code validation_failed} naming the parameter), never a 500 with a stack trace in
 * the log.
 */
class AdminPagingParamsTest {
  @TempDir static Path dir;
  static GatewayHarness gw;
  static final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  static final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    logged.setContext(root.getLoggerContext());
    logged.start();
    root.addAppender(logged);
    gw = new GatewayHarness(dir, List.of(api("users", "/users", "http://127.0.0.1:9")));
  }

  @AfterAll
  static void stop() {
    gw.close();
    root.detachAppender(logged);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/admin/events?cursor=r999999999999999999_0_1",
        "/admin/events?cursor=a31556889864403200_0_1",
        "/admin/events?cursor=r99999999999999_999999999_1",
        "/admin/events?cursor=r1_0_1%00",
        "/admin/events?cursor=x1_0_1",
        "/admin/events?cursor=",
        "/admin/events?type=request&cursor=r253402300800_0_1",
        "/admin/events?limit=0",
        "/admin/events?limit=99999999999",
        "/admin/events?from=%2B999999999-12-31T23:59:59Z",
        "/admin/events?to=-999999999-01-01T00:00:00Z",
        "/admin/keys?cursor=key_%27%3B--",
        "/admin/keys?cursor=key_0123456789012345678901234567890123456789012345678901234567890",
        "/admin/keys?limit=-1",
        "/admin/developers?cursor=dev_%E2%80%8B",
        "/admin/developers?limit=1e3",
        "/admin/alerts?cursor=alr_%20x",
        "/admin/alerts?limit=1001",
        "/admin/usage?from=%2B999999999-12-31T23:59:59Z",
        "/admin/usage?from=-999999999-01-01T00:00:00Z&interval=day",
        "/admin/usage?to=%2B999999999-12-31T23:59:59Z&interval=day",
        "/admin/usage?limit=101",
      })
  void aTamperedPagingParameterIsTheCallersErrorWithoutAStackTrace(String pathAndQuery)
      throws Exception {
    logged.list.clear();

    HttpResponse<String> r = admin(pathAndQuery);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("code")).isEqualTo("validation_failed");
    assertThat(problem.getString("request_id")).isNotBlank();
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo(parameterOf(pathAndQuery));
    assertThat(r.body()).doesNotContain("Exception", "\tat ");
    assertThat(logged.list)
        .as("nothing logged with a stack trace")
        .noneMatch(e -> e.getThrowableProxy() != null);
  }

  /** The tampered parameter: the first of the query, or the one after {@code type=request}. */
  private static String parameterOf(String pathAndQuery) {
    String query = pathAndQuery.substring(pathAndQuery.indexOf('?') + 1);
    String first = query.startsWith("type=") ? query.substring(query.indexOf('&') + 1) : query;
    return first.substring(0, first.indexOf('='));
  }

  private static HttpResponse<String> admin(String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gw.gateway().adminPort() + pathAndQuery))
            .header("Authorization", "Bearer " + gw.gateway().adminToken())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
