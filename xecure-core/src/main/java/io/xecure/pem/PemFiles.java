package io.xecure.pem;

import io.vertx.core.net.impl.pkcs1.PrivateKeyParser;
import io.xecure.pem.PemException.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;

/**
 * Reads PEM files: a certificate chain with its private key for a listener, or the certificates a
 * client trusts. Private keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA or SEC1 EC, as
 * openssl, certbot and most CAs write them; encrypted keys are refused (the gateway would need the
 * passphrase in its configuration). Every failure is a {@link PemException} whose message says what
 * is wrong without quoting the file.
 */
public final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] CHALLENGE = "xecure key check".getBytes(StandardCharsets.US_ASCII);

  private PemFiles() {}

  /** The chain in {@code cert} and the key in {@code key}, checked to belong together. */
  public static ServerCertificate serverCertificate(Path cert, Path key) throws PemException {
    List<X509Certificate> chain = certificates(cert, Part.CERT);
    PrivateKey privateKey = privateKey(key);
    if (!matches(privateKey, chain.get(0).getPublicKey())) {
      throw new PemException(Part.KEY, "does not match the certificate " + cert);
    }
    return new ServerCertificate(privateKey, chain, dnsNames(chain.get(0)));
  }

  /** The certificates in {@code file} (a CA bundle), at least one. */
  public static List<X509Certificate> certificates(Path file) throws PemException {
    return certificates(file, Part.CERT);
  }

  private static List<X509Certificate> certificates(Path file, Part part) throws PemException {
    String text = read(file, part);
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : blocks(text, "CERTIFICATE")) {
        certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new PemException(part, file + ": not a valid PEM certificate");
    }
    if (certs.isEmpty()) {
      throw new PemException(part, file + ": no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certs;
  }

  private static PrivateKey privateKey(Path file) throws PemException {
    String text = read(file, Part.KEY);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String label = m.group(1);
      if (!label.endsWith("PRIVATE KEY")) {
        continue;
      }
      if (label.startsWith("ENCRYPTED")) {
        throw new PemException(
            Part.KEY,
            file + ": an encrypted private key; decrypt it first (openssl pkey -in KEY -out KEY)");
      }
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        break;
      }
      PrivateKey key = decode(label, der);
      if (key != null) {
        return key;
      }
      break;
    }
    throw new PemException(
        Part.KEY, file + ": not a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)");
  }

  private static @Nullable PrivateKey decode(String label, byte[] der) {
    try {
      return switch (label) {
        case "RSA PRIVATE KEY" -> generate("RSA", PrivateKeyParser.getRSAKeySpec(der));
        case "EC PRIVATE KEY" -> generate("EC", PrivateKeyParser.getECKeySpec(der));
        case "PRIVATE KEY" -> pkcs8(der);
        default -> null;
      };
    } catch (RuntimeException | GeneralSecurityException e) {
      return null;
    }
  }

  private static @Nullable PrivateKey pkcs8(byte[] der) {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return generate(algorithm, new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    return null;
  }

  private static PrivateKey generate(String algorithm, KeySpec spec)
      throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
  }

  /** Whether a signature made with {@code key} verifies with {@code publicKey}. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448
        };
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(CHALLENGE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<byte[]> blocks(String text, String label) {
    List<byte[]> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(label)) {
        blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
      }
    }
    return blocks;
  }

  private static String read(Path file, Part part) throws PemException {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new PemException(part, file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new PemException(part, file + ": cannot read (permission denied)");
    } catch (IOException e) {
      throw new PemException(part, file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The DNS names SNI can match: the DNS subject alternative names, else the common name. */
  static List<String> dnsNames(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    try {
      var alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          if (Integer.valueOf(2).equals(entry.get(0)) && entry.get(1) instanceof String name) {
            names.add(name.toLowerCase(Locale.ROOT));
          }
        }
      }
      if (names.isEmpty()) {
        for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateException | InvalidNameException e) {
      // no names: the certificate is served only as the default
    }
    return names;
  }
}
