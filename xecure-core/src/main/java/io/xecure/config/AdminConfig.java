package io.xecure.config;

import org.jspecify.annotations.Nullable;

/**
 * The admin listener.
 *
 * @param token the admin token; null means "generate one at start-up and print it once"
 * @param metricsToken a read-only bearer token for {@code GET /metrics}, so that a Prometheus
 *     scraper never holds the admin token; null: none
 * @param tls the admin listener's certificates (as the gateway's); null: plain HTTP
 */
public record AdminConfig(
    int port,
    String bind,
    @Nullable String token,
    @Nullable String metricsToken,
    @Nullable TlsConfig tls) {

  /** A plain HTTP admin listener. */
  public AdminConfig(int port, String bind, @Nullable String token, @Nullable String metricsToken) {
    this(port, bind, token, metricsToken, null);
  }

  /** An admin listener without a metrics token. */
  public AdminConfig(int port, String bind, @Nullable String token) {
    this(port, bind, token, null, null);
  }

  /**
   * Whether {@code GET /metrics} asks for a bearer token (the metrics token or the admin token). It
   * does not only while the admin port binds a loopback address and no metrics token is set: then
   * only this host reaches it, as with Kong's status API or APISIX's exporter, and a local
   * Prometheus agent scrapes it without a credential.
   */
  public boolean metricsNeedToken() {
    return metricsToken != null || !Values.isLoopback(bind);
  }
}
