package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * allowed_cidrs through a real gateway: the test client is always 127.0.0.1, so which key is used
 * from where is set by the key's networks and, behind a trusted proxy, by X-Forwarded-For.
 */
class NetworkPinningProxyTest {
  @TempDir static Path dir;
  static EchoUpstream upstream;
  // trusts no proxy: the TCP peer is the client, X-Forwarded-For is ignored
  static GatewayHarness direct;
  // behind a proxy on 127.0.0.0/8: the right-most untrusted X-Forwarded-For hop is the client
  static GatewayHarness proxied;
  static Developer dev;
  static Developer proxiedDev;

  @BeforeAll
  static void start() throws Exception {
    upstream = new EchoUpstream();
    String u = upstream.url();
    direct =
        new GatewayHarness(
            dir.resolve("direct"), List.of(api("users", "/users", u), api("admin", "/admin", u)));
    dev = direct.developer("Ada", DeveloperStatus.ACTIVE);
    proxied =
        new GatewayHarness(
            dir.resolve("proxied"), List.of(api("users", "/users", u)), List.of("127.0.0.0/8"));
    proxiedDev = proxied.developer("Bob", DeveloperStatus.ACTIVE);
  }

  @AfterAll
  static void stop() throws Exception {
    direct.close();
    proxied.close();
    upstream.close();
  }

  @BeforeEach
  void clear() {
    upstream.clear();
  }

  @Test
  void ipv4NetworkHoldingTheClientAllows() throws Exception {
    assertAllowed(direct, pinned(direct, dev, "127.0.0.0/8"), "/users/1");
    assertThat(upstream.last().header("x-forwarded-for")).isEqualTo("127.0.0.1");
  }

  @Test
  void ipv4NetworkNotHoldingTheClientRefuses() throws Exception {
    assertRefused(direct, pinned(direct, dev, "10.0.0.0/8"));
  }

  @Test
  void anyOfSeveralNetworksAllows() throws Exception {
    assertAllowed(
        direct, pinned(direct, dev, "10.0.0.0/8", "192.0.2.0/24", "127.0.0.1/32"), "/users/1");
  }

  @Test
  void ipv6LoopbackIsNotTheIpv4Client() throws Exception {
    assertRefused(direct, pinned(direct, dev, "::1/128"));
  }

  @Test
  void ipv4MappedIpv6NetworkHoldsTheIpv4Client() throws Exception {
    assertAllowed(direct, pinned(direct, dev, "::ffff:127.0.0.0/104"), "/users/1");
  }

  @Test
  void unparseableNetworksPinTheKeyToNowhere() throws Exception {
    assertRefused(direct, pinned(direct, dev, "not-a-network", "127.0.0.0/33"));
  }

  @Test
  void unpinnedKeyIsUsableFromAnywhere() throws Exception {
    assertAllowed(direct, direct.issue(dev, List.of("users"), List.of(), List.of())[0], "/users/1");
  }

  @Test
  void pinningIsCheckedBeforeGrantsSoAWrongNetworkLearnsNothingElse() throws Exception {
    String key = direct.issue(dev, List.of("users"), List.of(), List.of("10.0.0.0/8"))[0];
    HttpResponse<String> r = direct.get("/admin/x", "X-API-Key", key);
    assertProblem(r, 403, "ip_not_allowed");
    assertThat(r.body()).doesNotContain("10.0.0.0").doesNotContain("users");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void xForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    assertRefused(direct, pinned(direct, dev, "10.0.0.0/8"), "X-Forwarded-For", "10.1.2.3");

    String local = pinned(direct, dev, "127.0.0.0/8");
    assertAllowed(direct, local, "/users/1", "X-Forwarded-For", "10.1.2.3");
    assertThat(upstream.last().header("x-forwarded-for")).isEqualTo("127.0.0.1");
  }

  @Test
  void rightMostUntrustedHopIsTheClientNotTheLeftMost() throws Exception {
    String xff = "203.0.113.7, 10.0.0.1";
    assertAllowed(
        proxied, pinned(proxied, proxiedDev, "10.0.0.0/8"), "/users/1", "X-Forwarded-For", xff);
    assertThat(upstream.last().header("x-forwarded-for")).isEqualTo(xff + ", 127.0.0.1");

    assertRefused(proxied, pinned(proxied, proxiedDev, "203.0.113.0/24"), "X-Forwarded-For", xff);
  }

  @Test
  void trustedHopsAreSkipped() throws Exception {
    String xff = "203.0.113.7, 127.0.0.5";
    assertAllowed(
        proxied, pinned(proxied, proxiedDev, "203.0.113.0/24"), "/users/1", "X-Forwarded-For", xff);
    assertThat(upstream.last().header("x-forwarded-for")).isEqualTo(xff + ", 127.0.0.1");

    assertRefused(proxied, pinned(proxied, proxiedDev, "127.0.0.0/8"), "X-Forwarded-For", xff);
  }

  @Test
  void withoutXForwardedForThePeerIsTheClient() throws Exception {
    assertAllowed(proxied, pinned(proxied, proxiedDev, "127.0.0.0/8"), "/users/1");
    assertRefused(proxied, pinned(proxied, proxiedDev, "203.0.113.0/24"));
  }

  @Test
  void ipv6ClientBehindTheProxy() throws Exception {
    String xff = "2001:db8::7";
    assertAllowed(
        proxied, pinned(proxied, proxiedDev, "2001:db8::/32"), "/users/1", "X-Forwarded-For", xff);
    assertRefused(proxied, pinned(proxied, proxiedDev, "::1/128"), "X-Forwarded-For", xff);
  }

  @Test
  void anUnparseableClientAddressNeverMatchesANetwork() throws Exception {
    assertRefused(
        proxied, pinned(proxied, proxiedDev, "0.0.0.0/0", "::/0"), "X-Forwarded-For", "not-an-ip");
    String unpinned = proxied.issue(proxiedDev, List.of("users"), List.of(), List.of())[0];
    assertAllowed(proxied, unpinned, "/users/1", "X-Forwarded-For", "not-an-ip");
  }

  private static String pinned(GatewayHarness gw, Developer dev, String... cidrs) {
    return gw.issue(dev, List.of("users"), List.of(), List.of(cidrs))[0];
  }

  private static void assertAllowed(GatewayHarness gw, String key, String path, String... headers)
      throws Exception {
    upstream.clear();
    HttpResponse<String> r = gw.get(path, withKey(key, headers));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(1);
    assertThat(upstream.last().uri()).isEqualTo(path);
  }

  private static void assertRefused(GatewayHarness gw, String key, String... headers)
      throws Exception {
    upstream.clear();
    HttpResponse<String> r = gw.get("/users/1", withKey(key, headers));
    assertProblem(r, 403, "ip_not_allowed");
    assertThat(new JsonObject(r.body()).getString("detail"))
        .isEqualTo("This key may not be used from this client address.");
    assertThat(r.body()).doesNotContain(key);
    assertThat(upstream.received()).isEmpty();
  }

  private static void assertProblem(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonObject p = new JsonObject(r.body());
    assertThat(p.getString("code")).isEqualTo(code);
    assertThat(p.getString("request_id"))
        .isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
  }

  private static String[] withKey(String key, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "X-API-Key";
    all[1] = key;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return all;
  }
}
