package io.xecure.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.xecure.config.TlsConfig;
import io.xecure.config.TlsConfig.CertificateFiles;
import io.xecure.pem.PemException;
import io.xecure.pem.PemFiles;
import io.xecure.pem.ServerCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's TLS: TLS 1.2 and 1.3 only, with forward-secret AEAD suites (Mozilla's
 * "intermediate" profile without DHE), the certificates chosen by SNI ({@link SniKeyManager}), and
 * ALPN offering h2 before http/1.1 when HTTP/2 is on.
 *
 * <p>{@link #watch} polls the PEM files' modification times and sizes; after a change it reads them
 * all again on a worker thread and hands them to Vert.x's servers (the admin port) through {@link
 * HttpServer#updateSSLOptions}, and to the data plane's Netty listener as a new {@link #context}:
 * new handshakes get them, open connections carry on. A change that does not load (half-written
 * file, key that does not match) logs one line, naming the field and never the content, and the
 * certificates in use stay.
 */
public final class ListenerTls {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);

  /** TLS 1.0 and 1.1 are refused (RFC 8996). */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** TLS 1.3's suites, then TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305. */
  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /**
   * BoringSSL (netty-tcnative) where its native library loads, else the JDK's engine: same
   * protocols, suites, SNI and reloads, but half the HTTPS p99 under load
   * (bench/results/tls-2026-12-05.md).
   */
  static final SSLEngineOptions ENGINE =
      OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();

  private final String path;
  private final TlsConfig config;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private volatile SniKeyManager keys;
  private volatile @Nullable ServerSSLOptions sslOptions;
  private volatile @Nullable SslContext context;
  private boolean contextHttp2;
  private volatile List<String> stamps;
  private long timer = -1;

  private ListenerTls(String path, TlsConfig config, SniKeyManager keys, List<String> stamps) {
    this.path = path;
    this.config = config;
    this.keys = keys;
    this.stamps = stamps;
  }

  /**
   * Reads the listener's certificates.
   *
   * @param path the listener's configuration path, such as {@code gateway.tls}, for messages
   * @throws PemException with a message that starts with the field's path
   */
  public static ListenerTls load(String path, TlsConfig config) throws PemException {
    List<String> stamps = stamps(config);
    return new ListenerTls(path, config, read(path, config), stamps);
  }

  /** Makes {@code options} a TLS listener's; HTTP/2 is offered by ALPN when {@code http2}. */
  public HttpServerOptions apply(HttpServerOptions options, boolean http2) {
    options
        .setSsl(true)
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS))
        .setKeyCertOptions(KeyCertOptions.wrap(keys))
        .setUseAlpn(http2)
        .setSslEngineOptions(ENGINE);
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    if (http2) {
      options.setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    }
    sslOptions = options.getSslOptions().copy();
    return options;
  }

  /**
   * The Netty listener's TLS context, with the same protocols, suites, engine and certificates as
   * {@link #apply}: ALPN offers h2 before http/1.1 when {@code http2}. After a reload this is a new
   * context; take it for each connection.
   */
  public SslContext context(boolean http2) {
    SslContext c = context;
    if (c == null) {
      synchronized (this) {
        c = context;
        if (c == null) {
          contextHttp2 = http2;
          c = build(keys, http2);
          context = c;
        }
      }
    }
    return c;
  }

  private static SslContext build(SniKeyManager keys, boolean http2) {
    try {
      return SslContextBuilder.forServer(new KeyManagerFactoryWrapper(keys))
          .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
          .protocols(PROTOCOLS)
          .ciphers(CIPHER_SUITES)
          .applicationProtocolConfig(
              http2
                  ? new ApplicationProtocolConfig(
                      ApplicationProtocolConfig.Protocol.ALPN,
                      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                      ApplicationProtocolNames.HTTP_2,
                      ApplicationProtocolNames.HTTP_1_1)
                  : ApplicationProtocolConfig.DISABLED)
          .build();
    } catch (SSLException e) {
      // the certificates were read and checked already; what is left is the engine refusing
      throw new IllegalStateException("the TLS engine refused the listener's settings", e);
    }
  }

  /** A server listening with options from {@link #apply}: it gets the reloaded certificates. */
  public void serve(HttpServer server) {
    servers.add(server);
  }

  /** Checks the files every {@code interval}; stops with {@link #close}. */
  public void watch(Vertx vertx, Duration interval) {
    timer = vertx.setPeriodic(interval.toMillis(), id -> check(vertx));
  }

  public void close(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Reloads when a file changed since the last look; completes with whether it reloaded. */
  Future<Boolean> check(Vertx vertx) {
    return vertx
        .executeBlocking(
            () -> {
              List<String> now = stamps(config);
              if (now.equals(stamps)) {
                return null;
              }
              stamps = now;
              SniKeyManager read;
              try {
                read = read(path, config);
              } catch (PemException e) {
                LOG.warn("{}; the certificates in use stay", e.getMessage());
                return null;
              }
              // the Netty listener's context is built here too, off the event loop
              synchronized (this) {
                return new Reloaded(read, context == null ? null : build(read, contextHttp2));
              }
            },
            true)
        .compose(
            reloaded -> {
              if (reloaded == null) {
                return Future.succeededFuture(false);
              }
              SniKeyManager loaded = reloaded.keys();
              keys = loaded;
              SslContext rebuilt = reloaded.context();
              if (rebuilt != null) {
                context = rebuilt;
              }
              ServerSSLOptions base = sslOptions;
              if (base == null) {
                LOG.info("{}: certificates reloaded", path);
                return Future.succeededFuture(true);
              }
              ServerSSLOptions next = base.copy().setKeyCertOptions(KeyCertOptions.wrap(loaded));
              List<Future<Boolean>> updates = new ArrayList<>();
              for (HttpServer server : servers) {
                updates.add(server.updateSSLOptions(next, true));
              }
              return Future.all(updates)
                  .map(
                      v -> {
                        LOG.info("{}: certificates reloaded", path);
                        return true;
                      });
            });
  }

  private record Reloaded(SniKeyManager keys, @Nullable SslContext context) {}

  private static SniKeyManager read(String path, TlsConfig config) throws PemException {
    List<ServerCertificate> certificates = new ArrayList<>();
    for (int i = 0; i < config.certificates().size(); i++) {
      CertificateFiles files = config.certificates().get(i);
      String at = i == 0 ? path : path + ".sni[" + (i - 1) + "]";
      try {
        certificates.add(PemFiles.serverCertificate(Path.of(files.cert()), Path.of(files.key())));
      } catch (PemException e) {
        String field = e.part() == PemException.Part.CERT ? ".cert" : ".key";
        throw new PemException(e.part(), at + field + ": " + e.getMessage());
      }
    }
    return new SniKeyManager(certificates);
  }

  /** What tells a changed file: its modification time and size ("-" when it cannot be read). */
  private static List<String> stamps(TlsConfig config) {
    List<String> stamps = new ArrayList<>();
    for (CertificateFiles files : config.certificates()) {
      for (String file : List.of(files.cert(), files.key())) {
        Path p = Path.of(file);
        try {
          stamps.add(Files.getLastModifiedTime(p).toMillis() + "/" + Files.size(p));
        } catch (IOException e) {
          stamps.add("-");
        }
      }
    }
    return stamps;
  }
}
