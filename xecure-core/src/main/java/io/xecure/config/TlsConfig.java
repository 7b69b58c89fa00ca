package io.xecure.config;

import java.util.List;

/**
 * TLS on a listener (SPEC §9): PEM files, read at start-up and again whenever they change.
 *
 * @param certificates at least one; the first is the default, served to clients that send no SNI or
 *     name a host no certificate covers; each other one is served to clients whose SNI matches one
 *     of its DNS names (a {@code *.example.com} name matches one label)
 */
public record TlsConfig(List<CertificateFiles> certificates) {

  /** A certificate chain and its private key, each a PEM file. */
  public record CertificateFiles(String cert, String key) {}

  public TlsConfig {
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("TLS needs a certificate");
    }
    certificates = List.copyOf(certificates);
  }

  /** One certificate for every client. */
  public static TlsConfig of(String cert, String key) {
    return new TlsConfig(List.of(new CertificateFiles(cert, key)));
  }
}
