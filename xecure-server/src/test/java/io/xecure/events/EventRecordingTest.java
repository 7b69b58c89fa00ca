package io.xecure.events;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.config.ApiConfig;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import io.xecure.testing.SwitchableStore;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events through the real gateway (SPEC §7): one per request with its decision, and none lost or
 * doubled when the store goes away mid-run or the gateway restarts while it is away.
 */
class EventRecordingTest {
  /** Batches, an outage and the spool replay take longer than one default wait. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @SuppressWarnings("NullAway.Init") // set before each test
  EchoUpstream upstream;

  @SuppressWarnings("NullAway.Init")
  List<ApiConfig> apis;

  /** What each sent request must be recorded as, by request id. */
  final Map<String, Expected> sent = new HashMap<>();

  /** Every plaintext presented: no event, file or spool may hold one. */
  final List<String> plaintexts = new ArrayList<>();

  record Expected(
      int status,
      String outcome,
      @Nullable String code,
      @Nullable String reason,
      @Nullable String keyId,
      String path) {}

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new EchoUpstream();
    apis = List.of(api("users", "/users", upstream.url()));
  }

  @AfterEach
  void stopUpstream() throws Exception {
    upstream.close();
  }

  @Test
  void everyRequestIsOneEventWithItsDecision() throws Exception {
    try (GatewayHarness gw = new GatewayHarness(dir, apis)) {
      Developer ada = gw.developer("ada", DeveloperStatus.ACTIVE);
      String[] valid = gw.issue(ada, List.of("users"), KeyStatus.ACTIVE);
      String[] revoked = gw.issue(ada, List.of("users"), KeyStatus.REVOKED);
      String unknown = gw.gateway().keyFormat().generate();
      plaintexts.addAll(List.of(valid[0], revoked[0], unknown));

      for (int i = 0; i < 5; i++) {
        send(gw, "/users/" + i, valid[0], 200, "granted", null, null, valid[1]);
      }
      send(gw, "/users/q?x=1&api_key=" + valid[0], null, 200, "granted", null, null, valid[1]);
      send(gw, "/users/none", null, 401, "denied", "key_missing", null, null);
      send(gw, "/users/none", null, 401, "denied", "key_missing", null, null);
      send(gw, "/users/r", revoked[0], 401, "denied", "key_invalid", "revoked", null);
      send(gw, "/users/u?api_key=" + unknown, null, 401, "denied", "key_invalid", "unknown", null);
      send(gw, "/elsewhere", valid[0], 404, "denied", "route_not_found", null, null);

      EventStats stats = gw.gateway().eventStats();
      Eventually.until("every event is stored", WAIT, () -> stats.written() == sent.size());
      List<RequestEvent> stored = gw.gateway().store().requestEvents(1000);
      assertThat(stored).hasSize(sent.size());
      for (RequestEvent e : stored) {
        Expected x = Objects.requireNonNull(sent.get(e.requestId()), "no request sent for " + e);
        assertThat(e.status()).isEqualTo(x.status());
        assertThat(e.outcome()).isEqualTo(x.outcome());
        assertThat(e.code()).isEqualTo(x.code());
        if (x.reason() != null) {
          assertThat(e.reason()).isEqualTo(x.reason());
        }
        assertThat(e.path()).isEqualTo(x.path());
        if (!"revoked".equals(x.reason())) { // a revoked key may be named: it is known
          assertThat(e.keyId()).isEqualTo(x.keyId());
          assertThat(e.developerId()).isEqualTo(x.keyId() == null ? null : ada.id());
        }
        assertThat(e.api()).isEqualTo("route_not_found".equals(x.code()) ? null : "users");
        assertThat(e.node()).isEqualTo(gw.gateway().node());
        assertThat(e.clientIp()).isEqualTo("127.0.0.1");
        assertThat(e.latencyMicros()).isPositive();
      }
      assertThat(stats.dropped()).isZero();
    }
    assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).hasSize(sent.size());
    assertNoPlaintextIn(dir.resolve("events.jsonl"));
  }

  @Test
  void aStoreOutageMidRunLosesNothingAndStoresEachEventOnce() throws Exception {
    SwitchableStore[] store = new SwitchableStore[1];
    try (GatewayHarness gw =
        new GatewayHarness(dir, apis, s -> (store[0] = SwitchableStore.around(s)).store())) {
      Developer bo = gw.developer("bo", DeveloperStatus.ACTIVE);
      String[] valid = gw.issue(bo, List.of("users"), KeyStatus.ACTIVE);
      EventStats stats = gw.gateway().eventStats();
      mixedRun(gw, valid, 20);
      Eventually.until("the first requests are stored", WAIT, () -> stats.written() == 20);

      store[0].down(true);
      mixedRun(gw, valid, 40);
      // the events file is the store's queue: it holds them, and the store is behind
      Eventually.until(
          "the outage's requests are in the file",
          WAIT,
          () -> Files.readAllLines(dir.resolve("events.jsonl")).size() == 60);
      Eventually.until("the store is behind", WAIT, () -> stats.storeLagSeconds() > 0);
      assertThat(stats.written()).isEqualTo(20);

      store[0].down(false);
      mixedRun(gw, valid, 20);
      Eventually.until("everything is stored", WAIT, () -> stats.written() == 80);
      assertThat(stats.storeLagSeconds()).isZero();
      assertThat(stats.spooled()).isZero();
      assertThat(stats.dropped()).isZero();
      assertStoredExactlyOnce(gw);
    }
    assertThat(spoolFiles()).isEmpty();
    assertNoPlaintextIn(dir.resolve("events.jsonl"));
  }

  @Test
  void eventsTheStoreLacksAtShutdownAreStoredByTheNextStart() throws Exception {
    SwitchableStore[] store = new SwitchableStore[1];
    try (GatewayHarness gw =
        new GatewayHarness(dir, apis, s -> (store[0] = SwitchableStore.around(s)).store())) {
      String[] valid =
          gw.issue(gw.developer("cy", DeveloperStatus.ACTIVE), List.of("users"), KeyStatus.ACTIVE);
      mixedRun(gw, valid, 10);
      Eventually.until(
          "the first requests are stored", WAIT, () -> gw.gateway().eventStats().written() == 10);
      store[0].down(true);
      mixedRun(gw, valid, 30); // in the file when the gateway stops, not in the store
    }

    try (GatewayHarness gw = new GatewayHarness(dir, apis)) {
      EventStats stats = gw.gateway().eventStats();
      Eventually.until("the rest is stored at start", WAIT, () -> stats.written() == 30);
      assertStoredExactlyOnce(gw);
    }
    assertThat(spoolFiles()).isEmpty();
    assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).hasSize(40);
  }

  /**
   * {@code n} requests: granted and refused, keys in header and query. One in eight presents a
   * wrong key, below what the brute-force guard blocks (20 a minute).
   */
  private void mixedRun(GatewayHarness gw, String[] valid, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      switch (i % 8) {
        case 2 -> {
          String wrong = gw.gateway().keyFormat().generate();
          plaintexts.add(wrong);
          send(
              gw,
              "/users/" + i + "?api_key=" + wrong,
              null,
              401,
              "denied",
              "key_invalid",
              "unknown",
              null);
        }
        case 5 -> send(gw, "/users/" + i, null, 401, "denied", "key_missing", null, null);
        default -> {
          if (i % 2 == 0) {
            send(gw, "/users/" + i, valid[0], 200, "granted", null, null, valid[1]);
          } else {
            send(
                gw,
                "/users/" + i + "?api_key=" + valid[0],
                null,
                200,
                "granted",
                null,
                null,
                valid[1]);
          }
        }
      }
    }
    plaintexts.add(valid[0]);
  }

  private void send(
      GatewayHarness gw,
      String pathAndQuery,
      @Nullable String headerKey,
      int status,
      String outcome,
      @Nullable String code,
      @Nullable String reason,
      @Nullable String keyId)
      throws Exception {
    HttpResponse<String> r =
        headerKey == null ? gw.get(pathAndQuery) : gw.get(pathAndQuery, "X-API-Key", headerKey);
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(status);
    String id = r.headers().firstValue("x-request-id").orElseThrow();
    String recorded = pathAndQuery.replaceAll("api_key=[^&]*", "api_key=REDACTED");
    sent.put(id, new Expected(status, outcome, code, reason, keyId, recorded));
  }

  private void assertStoredExactlyOnce(GatewayHarness gw) {
    List<RequestEvent> stored = gw.gateway().store().requestEvents(1000);
    Set<String> ids = new HashSet<>();
    stored.forEach(e -> ids.add(e.requestId()));
    assertThat(stored).hasSize(sent.size());
    assertThat(ids).isEqualTo(sent.keySet());
    for (RequestEvent e : stored) {
      Expected x = Objects.requireNonNull(sent.get(e.requestId()));
      assertThat(e.outcome()).isEqualTo(x.outcome());
      assertThat(e.path()).isEqualTo(x.path());
    }
  }

  private void assertNoPlaintextIn(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    for (String key : plaintexts) {
      assertThat(text).as(file.getFileName() + " holds a plaintext key").doesNotContain(key);
    }
  }

  private List<Path> spoolFiles() throws Exception {
    Path spool = dir.resolve("spool");
    if (!Files.isDirectory(spool)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(spool)) {
      return files.toList();
    }
  }
}
