package io.xecure.keys;

import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import java.util.function.BooleanSupplier;

/**
 * Checks a presented key (SPEC §5 step 3): format and checksum first, with no hashing for a string
 * that fails them, then one hash and one in-memory look-up, then status, expiry and the developer.
 * Never throws for bad input and never touches the store.
 */
public final class KeyVerifier {
  private final KeyFormat format;
  private final KeyHasher hasher;
  private final KeyIndex index;
  private final BooleanSupplier stale;

  public KeyVerifier(KeyFormat format, KeyHasher hasher, KeyIndex index) {
    this(format, hasher, index, () -> false);
  }

  /**
   * @param stale whether the index may be missing keys issued elsewhere (a node cut off from the
   *     change feed for longer than {@code cluster.max_staleness}): a key not found is then {@link
   *     KeyOutcome#UNVERIFIABLE} rather than {@link KeyOutcome#UNKNOWN}; keys found are judged as
   *     ever. Asked only on a miss, so it costs nothing on the hot path.
   */
  public KeyVerifier(KeyFormat format, KeyHasher hasher, KeyIndex index, BooleanSupplier stale) {
    this.format = format;
    this.hasher = hasher;
    this.index = index;
    this.stale = stale;
  }

  public KeyVerdict verify(String presented, long nowMillis) {
    if (!format.plausible(presented)) {
      return KeyVerdict.MALFORMED;
    }
    IndexedKey key = index.get(hasher.hash(presented));
    if (key == null) {
      return stale.getAsBoolean() ? KeyVerdict.UNVERIFIABLE : KeyVerdict.UNKNOWN;
    }
    Developer developer = index.developer(key.developerId());
    if (key.status() == KeyStatus.REVOKED || developer == null) {
      return new KeyVerdict(KeyOutcome.REVOKED, key, developer);
    }
    if (key.expiredAt(nowMillis)) {
      return new KeyVerdict(KeyOutcome.EXPIRED, key, developer);
    }
    if (developer.status() == DeveloperStatus.SUSPENDED) {
      return new KeyVerdict(KeyOutcome.DEVELOPER_SUSPENDED, key, developer);
    }
    return new KeyVerdict(KeyOutcome.VALID, key, developer);
  }
}
