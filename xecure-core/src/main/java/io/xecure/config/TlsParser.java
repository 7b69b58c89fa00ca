package io.xecure.config;

import io.xecure.config.TlsConfig.CertificateFiles;
import io.xecure.pem.PemException;
import io.xecure.pem.PemFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Binds a listener's {@code tls: { cert, key, sni: [ { cert, key }, ... ] }} and reads every file
 * named, so that a missing file, bad PEM or a key that does not match its certificate stops the
 * start with the field's path (never the key's content).
 */
final class TlsParser {
  private TlsParser() {}

  /** The listener's TLS, or null when {@code tls} is absent (plain HTTP). */
  static @Nullable TlsConfig parse(Section listener) {
    Section tls = listener.optionalSection("tls");
    if (tls == null) {
      return null;
    }
    List<CertificateFiles> certificates = new ArrayList<>();
    CertificateFiles first = pair(tls);
    if (first != null) {
      certificates.add(first);
    }
    tls.eachSection(
        "sni",
        item -> {
          CertificateFiles more = pair(item);
          item.finish();
          if (more != null) {
            certificates.add(more);
          }
        });
    tls.finish();
    return first == null ? null : new TlsConfig(certificates);
  }

  private static @Nullable CertificateFiles pair(Section s) {
    String cert = s.required("cert", Values::filePath);
    String key = s.required("key", Values::filePath);
    if (cert == null || key == null) {
      return null;
    }
    try {
      PemFiles.serverCertificate(Path.of(cert), Path.of(key));
    } catch (PemException e) {
      String field = e.part() == PemException.Part.CERT ? "cert" : "key";
      s.problems().add(s.path(field), String.valueOf(e.getMessage()));
      return null;
    }
    return new CertificateFiles(cert, key);
  }

  /** A CA bundle for an upstream client: read now, so that a bad file is a config error. */
  static String caFile(com.fasterxml.jackson.databind.JsonNode value) throws BadValue {
    String path = Values.filePath(value);
    try {
      PemFiles.certificates(Path.of(path));
    } catch (PemException e) {
      throw new BadValue(String.valueOf(e.getMessage()));
    }
    return path;
  }
}
