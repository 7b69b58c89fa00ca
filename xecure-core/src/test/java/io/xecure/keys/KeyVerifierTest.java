package io.xecure.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.ApiKeyRecordBuilder;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class KeyVerifierTest {
  private static final long NOW = Instant.parse("2026-11-28T12:00:00Z").toEpochMilli();

  private final KeyFormat format = new KeyFormat("xk_");
  private final KeyHasher hasher = new KeyHasher("pepper");
  private final KeyIndex index = new KeyIndex();
  private final KeyVerifier verifier = new KeyVerifier(format, hasher, index);
  private final Developer ada =
      new Developer("dev_1", "Ada", "ada@example.com", DeveloperStatus.ACTIVE, Instant.EPOCH);

  KeyVerifierTest() {
    index.putDeveloper(ada);
  }

  private ApiKeyRecord put(
      String key, KeyStatus status, @Nullable Instant expires, @Nullable Instant grace) {
    String id = "key_" + Math.abs(key.hashCode());
    ApiKeyRecord r =
        ApiKeyRecordBuilder.key(id, ada.id())
            .name("k")
            .secret(format.displayPrefix(key), hasher.hash(key))
            .status(status)
            .expiresAt(expires)
            .apis("users")
            .graceUntil(grace)
            .build();
    index.put(r);
    return r;
  }

  @Test
  void aStaleIndexCannotVerifyAKeyItHasNeverSeenButStillJudgesTheKeysItKnows() {
    String valid = format.generate();
    String revoked = format.generate();
    put(valid, KeyStatus.ACTIVE, null, null);
    put(revoked, KeyStatus.REVOKED, null, null);
    KeyVerifier stale = new KeyVerifier(format, hasher, index, () -> true);

    assertThat(stale.verify(format.generate(), NOW).outcome()).isEqualTo(KeyOutcome.UNVERIFIABLE);
    assertThat(stale.verify(valid, NOW).outcome()).isEqualTo(KeyOutcome.VALID);
    assertThat(stale.verify(revoked, NOW).outcome()).isEqualTo(KeyOutcome.REVOKED);
    assertThat(stale.verify("not a key", NOW).outcome()).isEqualTo(KeyOutcome.MALFORMED);
    assertThat(verifier.verify(format.generate(), NOW).outcome()).isEqualTo(KeyOutcome.UNKNOWN);
  }

  @Test
  void generatedKeysHaveTheFormatAndAreUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String key = format.generate();
      assertThat(key).matches("xk_[0-9A-Za-z]{38}");
      assertThat(format.checksumValid(key)).isTrue();
      assertThat(seen.add(key)).isTrue();
    }
  }

  @Test
  void everySingleCharacterTypoIsCaughtByTheChecksum() {
    String key = format.generate();
    for (int i = 3; i < key.length(); i++) {
      char c = key.charAt(i);
      String typo = key.substring(0, i) + (c == 'a' ? 'b' : 'a') + key.substring(i + 1);
      assertThat(format.plausible(typo)).as("typo at %d", i).isFalse();
    }
  }

  @Test
  void outcomes() {
    String valid = format.generate();
    String revoked = format.generate();
    String expired = format.generate();
    String graceOver = format.generate();
    put(valid, KeyStatus.ACTIVE, null, null);
    put(revoked, KeyStatus.REVOKED, null, null);
    put(expired, KeyStatus.ACTIVE, Instant.ofEpochMilli(NOW), null);
    put(graceOver, KeyStatus.ACTIVE, null, Instant.ofEpochMilli(NOW - 1));

    assertThat(verifier.verify(valid, NOW).outcome()).isEqualTo(KeyOutcome.VALID);
    assertThat(verifier.verify(valid, NOW).key()).extracting(IndexedKey::id).isNotNull();
    assertThat(verifier.verify(revoked, NOW).outcome()).isEqualTo(KeyOutcome.REVOKED);
    assertThat(verifier.verify(expired, NOW).outcome()).isEqualTo(KeyOutcome.EXPIRED);
    assertThat(verifier.verify(expired, NOW - 1).outcome()).isEqualTo(KeyOutcome.VALID);
    assertThat(verifier.verify(graceOver, NOW).outcome()).isEqualTo(KeyOutcome.EXPIRED);
    assertThat(verifier.verify(format.generate(), NOW).outcome()).isEqualTo(KeyOutcome.UNKNOWN);
    assertThat(verifier.verify("xk_tooshort", NOW).outcome()).isEqualTo(KeyOutcome.MALFORMED);
    assertThat(verifier.verify("has space in it and is long", NOW).outcome())
        .isEqualTo(KeyOutcome.MALFORMED);
  }

  @Test
  void suspendedDeveloperAndReactivation() {
    String key = format.generate();
    put(key, KeyStatus.ACTIVE, null, null);

    index.putDeveloper(ada.withStatus(DeveloperStatus.SUSPENDED));
    assertThat(verifier.verify(key, NOW).outcome()).isEqualTo(KeyOutcome.DEVELOPER_SUSPENDED);

    index.putDeveloper(ada);
    assertThat(verifier.verify(key, NOW).outcome()).isEqualTo(KeyOutcome.VALID);
  }

  @Test
  void importedKeysOfAnyPlausibleFormatAreLookedUp() {
    String legacy = "bk_3f9c0e8a7d6b5c4e3f2a1b0c9d8e7f6a";
    put(legacy, KeyStatus.ACTIVE, null, null);

    assertThat(verifier.verify(legacy, NOW).outcome()).isEqualTo(KeyOutcome.VALID);
    assertThat(verifier.verify("bk_3f9c0e8a7d6b5c4e3f2a1b0c9d8e7f6b", NOW).outcome())
        .isEqualTo(KeyOutcome.UNKNOWN);
  }

  @Test
  void aChangedRecordReplacesTheOldEntry() {
    String key = format.generate();
    ApiKeyRecord r = put(key, KeyStatus.ACTIVE, null, null);
    index.put(r.withStatus(KeyStatus.REVOKED));

    assertThat(verifier.verify(key, NOW).outcome()).isEqualTo(KeyOutcome.REVOKED);
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void hashesArePepperedHmacs() {
    String key = format.generate();
    assertThat(new KeyHasher("pepper").hash(key)).isEqualTo(hasher.hash(key));
    assertThat(new KeyHasher("other").hash(key)).isNotEqualTo(hasher.hash(key));
    assertThat(new KeyHasher(null).hash(key)).isNotEqualTo(hasher.hash(key));
  }
}
