package io.xecure.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$
 * hash}), computed by BouncyCastle in pure Java. A hash carries its own parameters, so stronger
 * parameters later still verify older hashes. Hashing takes tens of milliseconds and {@code m} KiB
 * of memory on purpose: call it on a worker, never on an event loop.
 */
public final class PasswordHasher {
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})"
              + "\\$([A-Za-z0-9+/]{22,128})");
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  /** OWASP's recommended minimum for Argon2id: 19 MiB, two passes, one lane (after the above). */
  public static final PasswordHasher DEFAULT = new PasswordHasher(19 * 1024, 2, 1);

  private final SecureRandom random = new SecureRandom();
  private final int memoryKib;
  private final int iterations;
  private final int parallelism;
  private final String dummy;

  public PasswordHasher(int memoryKib, int iterations, int parallelism) {
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
    this.dummy = hash("not a password of anyone");
  }

  /** A new hash of {@code password} with a fresh random salt. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
    return "$argon2id$v=19$m="
        + memoryKib
        + ",t="
        + iterations
        + ",p="
        + parallelism
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * Whether {@code password} is the one {@code phc} was made from. A null or unreadable hash (an
   * operator without a password, an unknown email) is checked against a dummy hash, so the answer
   * takes as long as for a real account and tells an attacker nothing about which emails exist.
   */
  public boolean verify(String password, @org.jspecify.annotations.Nullable String phc) {
    Matcher m = phc == null ? null : PHC.matcher(phc);
    if (m == null || !m.matches()) {
      verify(password, dummy);
      return false;
    }
    byte[] salt = B64_DECODER.decode(m.group(4));
    byte[] expected = B64_DECODER.decode(m.group(5));
    byte[] actual =
        derive(
            password,
            salt,
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            expected.length);
    return MessageDigest.isEqual(actual, expected);
  }

  private static byte[] derive(
      String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
