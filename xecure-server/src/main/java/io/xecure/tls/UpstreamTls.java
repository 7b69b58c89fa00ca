package io.xecure.tls;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway speaks TLS to an {@code https://} upstream: TLS 1.2 or 1.3, SNI with the
 * upstream's host name, the certificate verified against the system trust store (or the API's
 * {@code upstream_ca}) and its name checked as HTTPS does. There is no way to turn verification
 * off: an upstream with a private CA names it. One options object per CA file, so that the client's
 * pool keeps the connections of different trust apart and reuses them.
 */
public final class UpstreamTls {
  private final ClientSSLOptions systemTrust = base();
  private final Map<String, ClientSSLOptions> byCa = new ConcurrentHashMap<>();

  /** The options for an upstream verified against {@code caFile} (null: the system store). */
  public ClientSSLOptions options(@Nullable String caFile) {
    if (caFile == null) {
      return systemTrust;
    }
    return byCa.computeIfAbsent(
        caFile, file -> base().setTrustOptions(new PemTrustOptions().addCertPath(file)));
  }

  private static ClientSSLOptions base() {
    return new ClientSSLOptions()
        .setHostnameVerificationAlgorithm("HTTPS")
        .setTrustAll(false)
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(ListenerTls.PROTOCOLS));
  }
}
