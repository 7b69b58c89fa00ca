package io.xecure.admin;

import io.xecure.config.AdminConfig;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /metrics} serves and who may read it.
 *
 * <p>It is open, like {@code /health}, while only this host can reach it: the admin port binds a
 * loopback address (the default) and no metrics token is set. Otherwise it takes {@code
 * Authorization: Bearer} with the metrics token (read-only: a scraper then never holds the admin
 * token, which can issue keys) or the admin token. Prometheus sends one with {@code authorization:
 * {credentials_file: ...}} in its scrape config.
 *
 * @param scrape every meter in the Prometheus text format
 * @param tokenRequired whether a bearer token is needed
 * @param token the metrics token; null: only the admin token opens a guarded endpoint
 */
public record MetricsEndpoint(
    Supplier<String> scrape, boolean tokenRequired, @Nullable String token) {

  /** The endpoint the admin configuration asks for; see {@link AdminConfig#metricsNeedToken}. */
  public static MetricsEndpoint of(AdminConfig admin, Supplier<String> scrape) {
    return new MetricsEndpoint(scrape, admin.metricsNeedToken(), admin.metricsToken());
  }
}
