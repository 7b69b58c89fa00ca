package io.xecure.tls;

import io.xecure.pem.ServerCertificate;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Chooses a listener's certificate for each handshake: the first one whose DNS names cover the
 * client's SNI host name, else the first certificate (the default). Only certificates whose key
 * suits the handshake's key type are considered. Immutable: a reload builds a new one. Aliases are
 * the certificates' positions.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
  private final List<ServerCertificate> certificates;

  SniKeyManager(List<ServerCertificate> certificates) {
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no certificate");
    }
    this.certificates = List.copyOf(certificates);
  }

  @Override
  public @Nullable String chooseEngineServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return choose(keyType, engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public @Nullable String chooseServerAlias(
      String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    return choose(keyType, session);
  }

  private @Nullable String choose(String keyType, @Nullable SSLSession session) {
    String host = requestedHost(session);
    if (host != null) {
      for (int i = 0; i < certificates.size(); i++) {
        if (suits(certificates.get(i), keyType) && certificates.get(i).covers(host)) {
          return Integer.toString(i);
        }
      }
    }
    for (int i = 0; i < certificates.size(); i++) {
      if (suits(certificates.get(i), keyType)) {
        return Integer.toString(i);
      }
    }
    return null;
  }

  private static @Nullable String requestedHost(@Nullable SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName().toLowerCase(Locale.ROOT);
        }
      }
    }
    return null;
  }

  /** "EC", "RSA", "EdDSA" and the like; TLS 1.2's "EC_RSA" forms name the key first. */
  private static boolean suits(ServerCertificate certificate, String keyType) {
    int sep = keyType.indexOf('_');
    String wanted = sep < 0 ? keyType : keyType.substring(0, sep);
    return certificate.key().getAlgorithm().equalsIgnoreCase(wanted);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < certificates.size(); i++) {
      if (suits(certificates.get(i), keyType)) {
        aliases.add(Integer.toString(i));
      }
    }
    return aliases.toArray(String[]::new);
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    ServerCertificate c = byAlias(alias);
    return c == null ? null : c.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    ServerCertificate c = byAlias(alias);
    return c == null ? null : c.key();
  }

  private @Nullable ServerCertificate byAlias(String alias) {
    try {
      int i = Integer.parseInt(alias);
      return i >= 0 && i < certificates.size() ? certificates.get(i) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // a server never authenticates as a client

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseClientAlias(
      String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return null;
  }
}
