package io.xecure.keys;

import io.xecure.model.KeyHash;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HMAC-SHA256(pepper, key), or SHA-256 when no pepper is configured (SPEC §4). Thread-safe: each
 * thread keeps its own initialised {@link Mac}, so hashing on the event loop costs one digest.
 */
public final class KeyHasher {
  private final ThreadLocal<Mac> mac;
  private final ThreadLocal<MessageDigest> sha;
  private final boolean peppered;

  public KeyHasher(@Nullable String pepper) {
    String secretText = pepper == null ? "" : pepper;
    this.peppered = !secretText.isEmpty();
    byte[] secret = peppered ? secretText.getBytes(StandardCharsets.UTF_8) : new byte[1];
    SecretKeySpec spec = new SecretKeySpec(secret, "HmacSHA256");
    this.mac =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
              }
            });
    this.sha =
        ThreadLocal.withInitial(
            () -> {
              try {
                return MessageDigest.getInstance("SHA-256");
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
              }
            });
  }

  public KeyHash hash(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
    byte[] digest = peppered ? mac.get().doFinal(bytes) : sha.get().digest(bytes);
    return KeyHash.of(digest);
  }
}
