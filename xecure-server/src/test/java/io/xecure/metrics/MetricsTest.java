package io.xecure.metrics;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on the admin port after a run of requests whose outcomes are known: exact
 * counts per API and decision, histograms, the key index, events and alerts, and no key material.
 */
class MetricsTest {
  private static final int REQUESTS = 11;

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static Developer dev;
  static String[] key;
  static String[] revoked;
  static String unknown;
  static String text;

  @BeforeAll
  static void run() throws Exception {
    upstream = new EchoUpstream();
    gw =
        new GatewayHarness(
            dir,
            List.of(
                api("users", "/users", upstream.url()),
                api("analytics", "/analytics", upstream.url())));
    dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    key = gw.issue(dev, List.of("users", "analytics"), KeyStatus.ACTIVE);
    revoked = gw.issue(dev, List.of("users"), KeyStatus.REVOKED);
    unknown = gw.gateway().keyFormat().generate();

    expect(200, "/users/a", "X-API-Key", key[0]);
    expect(200, "/users/b", "Authorization", "Bearer " + key[0]);
    expect(200, "/users/c?api_key=" + key[0]);
    expect(500, "/users/status/500", "X-API-Key", key[0]);
    expect(401, "/users/a");
    expect(401, "/users/b");
    expect(401, "/users/a", "X-API-Key", unknown);
    expect(401, "/users/a", "X-API-Key", revoked[0]);
    expect(401, "/users/a", "X-API-Key", "xk_nope");
    expect(200, "/analytics/x", "X-API-Key", key[0]);
    expect(404, "/nowhere", "X-API-Key", key[0]);
    gw.gateway().metrics().alertRaised("brute_force");
    gw.gateway().metrics().alertRaised("brute_force");

    // events are counted when each response has ended, and written in batches: wait for both
    text =
        Eventually.await(
            "every request counted and its event written",
            MetricsTest::scrape,
            t ->
                sum(series(t, "xecure_requests_total")) == REQUESTS
                    && value(t, "xecure_events_written_total", Map.of()) == REQUESTS);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
  }

  @Test
  void requestsAreCountedExactlyByApiAndDecision() {
    assertThat(series(text, "xecure_requests_total"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                labels("users", "granted", "none", "none", "2xx"), 3.0,
                labels("users", "granted", "none", "none", "5xx"), 1.0,
                labels("users", "denied", "key_missing", "missing", "4xx"), 2.0,
                labels("users", "denied", "key_invalid", "unknown", "4xx"), 1.0,
                labels("users", "denied", "key_invalid", "revoked", "4xx"), 1.0,
                labels("users", "denied", "key_invalid", "malformed", "4xx"), 1.0,
                labels("analytics", "granted", "none", "none", "2xx"), 1.0,
                labels("none", "denied", "route_not_found", "route_not_found", "4xx"), 1.0));
  }

  @Test
  void latenciesAreHistogramsOverAFewFixedBuckets() {
    assertThat(value(text, "xecure_request_duration_seconds_count", Map.of("api", "users")))
        .isEqualTo(9.0);
    assertThat(value(text, "xecure_request_duration_seconds_count", Map.of("api", "analytics")))
        .isEqualTo(1.0);
    assertThat(value(text, "xecure_request_duration_seconds_count", Map.of("api", "none")))
        .isEqualTo(1.0);
    // only forwarded requests have an upstream latency
    assertThat(value(text, "xecure_upstream_duration_seconds_count", Map.of("api", "users")))
        .isEqualTo(4.0);
    assertThat(series(text, "xecure_upstream_duration_seconds_count"))
        .containsOnlyKeys(Map.of("api", "users"), Map.of("api", "analytics"));

    Map<Map<String, String>, Double> buckets =
        series(text, "xecure_request_duration_seconds_bucket");
    List<Map<String, String>> users =
        buckets.keySet().stream().filter(l -> "users".equals(l.get("api"))).toList();
    assertThat(users).hasSize(16); // 15 fixed bounds and +Inf
    assertThat(buckets.get(Map.of("api", "users", "le", "+Inf"))).isEqualTo(9.0);
    assertThat(text).contains("# TYPE xecure_request_duration_seconds histogram");
  }

  @Test
  void keyIndexEventsAndAlertsAreShown() {
    assertThat(value(text, "xecure_key_index_size", Map.of()))
        .isEqualTo(gw.gateway().index().size())
        .isEqualTo(2.0);
    assertThat(value(text, "xecure_key_index_ready", Map.of())).isEqualTo(1.0);
    assertThat(value(text, "xecure_events_written_total", Map.of())).isEqualTo(REQUESTS);
    assertThat(value(text, "xecure_events_dropped_total", Map.of())).isZero();
    assertThat(series(text, "xecure_alerts_total"))
        .containsEntry(Map.of("type", "brute_force"), 2.0)
        .containsEntry(Map.of("type", "key_leaked"), 0.0)
        .hasSize(Metrics.ALERT_TYPES.size());
    assertThat(text).contains("jvm_memory_used_bytes");
  }

  @Test
  void metricsHoldNoKeyNorKeyOrDeveloperIds() {
    assertThat(text)
        .doesNotContain(key[0], revoked[0], unknown, "xk_nope", "xk_")
        .doesNotContain(key[1], revoked[1], dev.id());
  }

  @Test
  void metricsAreOpenOnALoopbackAdminPortWithoutAMetricsToken() throws Exception {
    HttpResponse<String> r = get(URI.create(metricsUrl()));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
  }

  private static void expect(int status, String path, String... headers) throws Exception {
    HttpResponse<String> r = gw.get(path, headers);
    assertThat(r.statusCode()).as(path).isEqualTo(status);
  }

  private static String metricsUrl() {
    return "http://127.0.0.1:" + gw.gateway().adminPort() + "/metrics";
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r = get(URI.create(metricsUrl()));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> labels(
      String api, String outcome, String code, String reason, String statusClass) {
    return Map.of(
        "api",
        api,
        "outcome",
        outcome,
        "code",
        code,
        "reason",
        reason,
        "status_class",
        statusClass);
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Every sample of {@code name} in the Prometheus text, by its labels. */
  static Map<Map<String, String>, Double> series(String text, String name) {
    Map<Map<String, String>, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.put(Map.copyOf(labels), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  static double value(String text, String name, Map<String, String> labels) {
    Double v = series(text, name).get(labels);
    return v == null ? Double.NaN : v;
  }

  private static double sum(Map<?, Double> series) {
    return series.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
