package io.xecure.pem;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain with its private key, checked to belong together.
 *
 * @param chain the leaf first
 * @param dnsNames the leaf's DNS subject alternative names (its common name when it has none),
 *     lower case, for SNI
 */
public record ServerCertificate(
    PrivateKey key, List<X509Certificate> chain, List<String> dnsNames) {
  public ServerCertificate {
    chain = List.copyOf(chain);
    dnsNames = List.copyOf(dnsNames);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Whether this certificate covers {@code host} (already lower case): exactly or by wildcard. */
  public boolean covers(String host) {
    for (String name : dnsNames) {
      if (name.equals(host)) {
        return true;
      }
      if (name.startsWith("*.")) {
        int dot = host.indexOf('.');
        if (dot > 0 && host.substring(dot).equals(name.substring(1))) {
          return true;
        }
      }
    }
    return false;
  }
}
