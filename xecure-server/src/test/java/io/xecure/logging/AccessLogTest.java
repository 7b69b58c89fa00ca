package io.xecure.logging;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** One access-log line per request, with the event's redacted fields and never a key. */
class AccessLogTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static Developer dev;
  static String[] key;
  static String[] revoked;
  static final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  static Logger access;
  static Level level;

  @BeforeAll
  static void start() throws Exception {
    access = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    level = access.getLevel();
    access.setLevel(Level.INFO);
    access.setAdditive(false); // captured here, not printed
    lines.setContext(access.getLoggerContext());
    lines.start();
    access.addAppender(lines);
    upstream = new EchoUpstream();
    gw = new GatewayHarness(dir, List.of(api("users", "/users", upstream.url())));
    dev = gw.developer("Ada", DeveloperStatus.ACTIVE);
    key = gw.issue(dev, List.of("users"), KeyStatus.ACTIVE);
    revoked = gw.issue(dev, List.of("users"), KeyStatus.REVOKED);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    access.detachAppender(lines);
    access.setLevel(level);
    access.setAdditive(true);
  }

  @Test
  void aGrantedRequestIsOneLineWithTheRedactedPathAndIds() throws Exception {
    HttpResponse<String> r = gw.get("/users/x?q=1&api_key=" + key[0], "User-Agent", "probe/1");
    assertThat(r.statusCode()).isEqualTo(200);
    ILoggingEvent line = lineOf(r);

    assertThat(line.getLevel()).isEqualTo(Level.INFO);
    assertThat(line.getFormattedMessage()).isEqualTo("request");
    Map<String, Object> fields = fields(line);
    assertThat(fields)
        .containsEntry("api", "users")
        .containsEntry("method", "GET")
        .containsEntry("path", "/users/x?q=1&api_key=REDACTED")
        .containsEntry("status", 200)
        .containsEntry("outcome", "granted")
        .containsEntry("key_id", key[1])
        .containsEntry("developer_id", dev.id())
        .containsEntry("client_ip", "127.0.0.1")
        .containsEntry("user_agent", "probe/1")
        .containsKeys("request_id", "node", "latency_us", "upstream_latency_us")
        .doesNotContainKeys("code", "reason");

    String json = new String(new JsonLinesEncoder().encode(line), StandardCharsets.UTF_8);
    assertThat(json).endsWith("}\n").doesNotContain(key[0]);
    assertThat(json.strip()).doesNotContain("\n");
    JsonObject parsed = new JsonObject(json);
    assertThat(parsed.getString("logger")).isEqualTo("xecure.access");
    assertThat(parsed.getString("path")).isEqualTo("/users/x?q=1&api_key=REDACTED");
    assertThat(parsed.getValue("status")).isEqualTo(200);
    assertThat(parsed.getString("key_id")).isEqualTo(key[1]);
    assertThat(parsed.getString("time")).endsWith("Z");

    String text = text(line);
    assertThat(text)
        .contains("path=\"/users/x?q=1&api_key=REDACTED\"", "status=\"200\"")
        .doesNotContain(key[0]);
  }

  /**
   * Issue 7 item 9: keys where this API does not look for them (the query under another name, a
   * path segment, the user agent) are refused or ignored, and never logged.
   */
  @Test
  void aStrayKeyIsScrubbedFromTheLine() throws Exception {
    String stray = gw.gateway().keyFormat().generate();
    HttpResponse<String> r =
        gw.get(
            "/users/" + stray + "?token=legacy-secret-0123456789&q=" + stray,
            "User-Agent",
            "probe/1 " + stray);
    assertThat(r.statusCode()).isEqualTo(401);
    ILoggingEvent line = lineOf(r);

    assertThat(fields(line))
        .containsEntry("path", "/users/xk_REDACTED?token=REDACTED&q=xk_REDACTED")
        .containsEntry("user_agent", "probe/1 xk_REDACTED");
    assertThat(text(line)).doesNotContain(stray, "legacy-secret");
  }

  @Test
  void aRefusedKeyIsLoggedByReasonNeverByItself() throws Exception {
    HttpResponse<String> r = gw.get("/users/x", "Authorization", "Bearer " + revoked[0]);
    assertThat(r.statusCode()).isEqualTo(401);
    ILoggingEvent line = lineOf(r);

    assertThat(fields(line))
        .containsEntry("status", 401)
        .containsEntry("outcome", "denied")
        .containsEntry("code", "key_invalid")
        .containsEntry("reason", "revoked")
        .doesNotContainKey("upstream_latency_us");
    assertThat(new String(new JsonLinesEncoder().encode(line), StandardCharsets.UTF_8))
        .doesNotContain(revoked[0]);
    assertThat(text(line)).doesNotContain(revoked[0]);
  }

  @Test
  void controlCharactersCannotSplitALine() {
    assertThat(AccessLog.printable("a\nb\u0000c\u007f")).isEqualTo("a?b?c?");
    String clean = "/users/x?q=1";
    assertThat(AccessLog.printable(clean)).isSameAs(clean);
  }

  /** The access line of the request that got {@code response}, waiting for it to be recorded. */
  private static ILoggingEvent lineOf(HttpResponse<String> response) throws Exception {
    String id = response.headers().firstValue("x-request-id").orElse(null);
    if (id == null) {
      id = new JsonObject(response.body()).getString("request_id");
    }
    String requestId = id;
    return Eventually.await(
            "the access line of request " + id,
            Duration.ofSeconds(5),
            () -> lineWith(requestId),
            Optional::isPresent)
        .orElseThrow();
  }

  private static Optional<ILoggingEvent> lineWith(String requestId) {
    List<ILoggingEvent> seen;
    synchronized (lines) { // the appender appends under this lock
      seen = List.copyOf(lines.list);
    }
    return seen.stream().filter(e -> requestId.equals(fields(e).get("request_id"))).findFirst();
  }

  private static Map<String, Object> fields(ILoggingEvent e) {
    Map<String, Object> out = new HashMap<>();
    List<KeyValuePair> pairs = e.getKeyValuePairs();
    if (pairs != null) {
      pairs.forEach(p -> out.put(p.key, p.value));
    }
    return out;
  }

  /** The line as the text format writes it (logback.xml's access pattern). */
  private static String text(ILoggingEvent e) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    encoder.setPattern("access %kvp%n");
    encoder.start();
    return new String(encoder.encode(e), StandardCharsets.UTF_8);
  }
}
