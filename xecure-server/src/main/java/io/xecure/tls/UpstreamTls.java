package io.xecure.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway speaks TLS to an {@code https://} upstream: TLS 1.2 or 1.3, SNI with the
 * upstream's host name, the certificate verified against the system trust store (or the API's
 * {@code upstream_ca}) and its name checked as HTTPS does. There is no way to turn verification
 * off: an upstream with a private CA names it. One context per CA file, built once.
 */
public final class UpstreamTls {
  private static final String SYSTEM = "";
  private final Map<String, SslContext> byCa = new ConcurrentHashMap<>();

  /** The context for an upstream verified against {@code caFile} (null: the system store). */
  public SslContext context(@Nullable String caFile) {
    return byCa.computeIfAbsent(caFile == null ? SYSTEM : caFile, UpstreamTls::build);
  }

  private static SslContext build(String caFile) {
    try {
      SslContextBuilder builder =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .protocols(ListenerTls.PROTOCOLS)
              .endpointIdentificationAlgorithm("HTTPS");
      if (!caFile.isEmpty()) {
        builder.trustManager(new File(caFile));
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new UncheckedIOException(
          new java.io.IOException(
              "upstream_ca " + caFile + " is not usable: " + e.getMessage(), e));
    }
  }
}
