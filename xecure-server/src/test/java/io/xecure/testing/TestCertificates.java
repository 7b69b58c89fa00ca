package io.xecure.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * X.509 certificates made for one test run (EC P-256, valid for a day), written as PEM files: no
 * private key is ever committed. A {@link Ca} issues leaf certificates for DNS names and 127.0.0.1;
 * {@link #client} builds a client context that trusts only the given CAs.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** A certificate with its key, and where both were written. */
  public record Issued(X509Certificate cert, KeyPair keys, Path certFile, Path keyFile) {
    /** Writes this certificate and key over {@code other}'s files (a renewal in place). */
    public void copyTo(Issued other) throws IOException {
      replace(certFile, other.certFile);
      replace(keyFile, other.keyFile);
    }

    private static void replace(Path from, Path to) throws IOException {
      Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
      Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** A certificate authority. */
  public record Ca(X509Certificate cert, KeyPair keys, Path certFile) {
    /** A leaf for {@code names} (DNS names) and the IP address 127.0.0.1, in {@code dir}. */
    public Issued issue(Path dir, String file, String... names) throws Exception {
      KeyPair leaf = keyPair();
      X509Certificate c =
          build(leaf, names.length > 0 ? names[0] : "127.0.0.1", cert, keys, false, names);
      return write(dir, file, c, leaf);
    }
  }

  /** A new CA whose certificate is written to {@code dir/file.pem}. */
  public static Ca ca(Path dir, String file) throws Exception {
    KeyPair keys = keyPair();
    X509Certificate cert = build(keys, "Test CA " + file, null, keys, true);
    Path certFile = dir.resolve(file + ".pem");
    Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
    return new Ca(cert, keys, certFile);
  }

  /** A client context trusting only {@code cas}. */
  public static SSLContext client(Ca... cas) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    for (int i = 0; i < cas.length; i++) {
      trust.setCertificateEntry("ca" + i, cas[i].cert());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), new SecureRandom());
    return context;
  }

  /**
   * A handshaken socket to 127.0.0.1:{@code port}, sending {@code sni} (null: none) and offering
   * only {@code protocols}. A new context each time, so no session is resumed.
   */
  public static SSLSocket connect(int port, @Nullable String sni, Ca ca, String... protocols)
      throws Exception {
    SSLSocket socket =
        (SSLSocket)
            client(ca)
                .getSocketFactory()
                .createSocket(new Socket("127.0.0.1", port), "127.0.0.1", port, true);
    SSLParameters params = socket.getSSLParameters();
    if (sni != null) {
      params.setServerNames(List.of(new SNIHostName(sni)));
    }
    if (protocols.length > 0) {
      params.setProtocols(protocols);
    }
    socket.setSSLParameters(params);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  /** The subject of the certificate the server presented. */
  public static String served(SSLSocket socket) throws Exception {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
        .getSubjectX500Principal()
        .getName();
  }

  /** {@code der} as a PEM block with {@code label}. */
  public static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static Issued write(Path dir, String file, X509Certificate cert, KeyPair keys)
      throws Exception {
    Path certFile = dir.resolve(file + ".crt");
    Path keyFile = dir.resolve(file + ".key");
    Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    return new Issued(cert, keys, certFile, keyFile);
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate build(
      KeyPair subject,
      String commonName,
      @Nullable X509Certificate issuer,
      KeyPair issuerKeys,
      boolean ca,
      String... dnsNames)
      throws IOException, OperatorCreationException, GeneralSecurityException {
    Instant now = Instant.now();
    X500Name subjectName = new X500Name("CN=" + commonName);
    X500Name issuerName =
        issuer == null
            ? subjectName
            : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuerName,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            subjectName,
            subject.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (!ca) {
      List<GeneralName> names = new ArrayList<>();
      for (String name : dnsNames) {
        names.add(new GeneralName(GeneralName.dNSName, name));
      }
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
    }
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }
}
