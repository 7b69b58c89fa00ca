package io.xecure.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import io.xecure.net.Cidr;
import io.xecure.testing.ApiKeyRecordBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
  private static final KeyHasher HASHER = new KeyHasher("pepper");

  private static KeyHash hash(String plaintext) {
    return HASHER.hash(plaintext);
  }

  private static ApiKeyRecordBuilder key(String id, String plaintext) {
    return ApiKeyRecordBuilder.key(id, "dev_1").secret("xk_", hash(plaintext)).apis("users");
  }

  @Test
  void aKeyIsFoundByItsHashWithEverythingTheRequestPathNeeds() {
    KeyIndex index = new KeyIndex();
    Instant expires = Instant.parse("2027-01-01T00:00:00.123Z");
    Instant grace = Instant.parse("2026-12-24T00:00:00Z");
    index.put(
        key("key_é2", "secret-2")
            .apis("users", "orders")
            .scopes(List.of("users:read"))
            .allowedCidrs(List.of("10.0.0.0/8"))
            .plan("gold")
            .expiresAt(expires)
            .replaces("key_1", "key_0")
            .graceUntil(grace)
            .build());

    IndexedKey k = Objects.requireNonNull(index.get(hash("secret-2")));

    assertThat(k.id()).isEqualTo("key_é2");
    assertThat(k.identityId()).isEqualTo("key_0");
    assertThat(k.developerId()).isEqualTo("dev_1");
    assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE);
    assertThat(k.expiresAtMillis()).isEqualTo(expires.toEpochMilli());
    assertThat(k.graceUntilMillis()).isEqualTo(grace.toEpochMilli());
    assertThat(k.grants("orders")).isTrue();
    assertThat(k.grants("billing")).isFalse();
    assertThat(k.scopes()).containsExactly("users:read");
    assertThat(k.plan()).isEqualTo("gold");
    assertThat(k.pinned()).isTrue();
    assertThat(k.allowsFrom(Objects.requireNonNull(Cidr.address("10.1.2.3")))).isTrue();
    assertThat(k.allowsFrom(Objects.requireNonNull(Cidr.address("192.168.0.1")))).isFalse();
    assertThat(k.expiredAt(grace.toEpochMilli())).isTrue();
    assertThat(index.identityOf("key_é2")).isEqualTo("key_0");
    assertThat(index.get(hash("secret-3"))).isNull();
  }

  @Test
  void keysHandedTheSameListInstancesAsALoadDoesStillGetEachTheirOwnRights() {
    KeyIndex index = new KeyIndex();
    List<String> users = List.of("users");
    List<String> read = List.of("users:read");
    List<String> none = List.of();
    index.put(key("key_1", "s1").apis(users).scopes(read).allowedCidrs(none).build());
    index.put(key("key_2", "s2").apis(users).scopes(read).allowedCidrs(none).plan("gold").build());
    index.put(
        key("key_3", "s3").apis(users).scopes(read).allowedCidrs(List.of("10.0.0.0/8")).build());
    index.put(key("key_4", "s4").apis(List.of("orders")).scopes(read).allowedCidrs(none).build());
    index.put(key("key_5", "s5").apis(users).scopes(read).allowedCidrs(none).build());

    IndexedKey k1 = Objects.requireNonNull(index.get(hash("s1")));
    assertThat(k1.plan()).isNull();
    assertThat(Objects.requireNonNull(index.get(hash("s2"))).plan()).isEqualTo("gold");
    assertThat(Objects.requireNonNull(index.get(hash("s3"))).pinned()).isTrue();
    assertThat(Objects.requireNonNull(index.get(hash("s4"))).grants("users")).isFalse();
    IndexedKey k5 = Objects.requireNonNull(index.get(hash("s5")));
    assertThat(k5.grants("users")).isTrue();
    assertThat(k5.pinned()).isFalse();
    assertThat(k5.plan()).isNull();
  }

  @Test
  void aKeyWithoutRotationCountsUnderItsOwnIdAndNeverExpiresWithoutAnExpiry() {
    KeyIndex index = new KeyIndex();
    index.put(key("key_1", "s1").apis("*").build());

    IndexedKey k = Objects.requireNonNull(index.get(hash("s1")));
    assertThat(k.identityId()).isEqualTo("key_1");
    assertThat(k.grants("anything")).isTrue();
    assertThat(k.pinned()).isFalse();
    assertThat(k.expiredAt(Long.MAX_VALUE - 1)).isFalse();
    assertThat(index.identityOf("key_1")).isEqualTo("key_1");
    assertThat(index.identityOf("key_unknown")).isEqualTo("key_unknown");
  }

  @Test
  void aChangedRecordReplacesTheEntryAndANewHashRetiresTheOldOne() {
    KeyIndex index = new KeyIndex();
    index.put(key("key_1", "old").build());
    index.put(key("key_1", "old").status(KeyStatus.REVOKED).build());

    assertThat(Objects.requireNonNull(index.get(hash("old"))).status())
        .isEqualTo(KeyStatus.REVOKED);
    assertThat(index.size()).isEqualTo(1);

    index.put(key("key_1", "new").build());

    assertThat(index.get(hash("old"))).isNull();
    assertThat(Objects.requireNonNull(index.get(hash("new"))).id()).isEqualTo("key_1");
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void aRemovedKeyIsGoneAndItsIdentityIsItsIdAgain() {
    KeyIndex index = new KeyIndex();
    index.put(key("key_2", "s2").replaces("key_1", "key_1").build());
    index.remove("key_2");
    index.remove("key_never");

    assertThat(index.get(hash("s2"))).isNull();
    assertThat(index.identityOf("key_2")).isEqualTo("key_2");
    assertThat(index.size()).isZero();

    index.put(key("key_2", "s2").build());
    assertThat(Objects.requireNonNull(index.get(hash("s2"))).id()).isEqualTo("key_2");
  }

  @Test
  void everyKeyOutlivesGrowthChurnAndTheTrimWhenReady() {
    KeyIndex index = new KeyIndex(16);
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      index.put(key("key_" + i, "s" + i).build());
    }
    for (int i = 0; i < n; i += 2) {
      index.put(key("key_" + i, "s" + i).status(KeyStatus.REVOKED).build());
    }
    for (int i = 0; i < n; i += 4) {
      index.remove("key_" + i);
    }
    for (int i = 1; i < n; i += 4) {
      index.put(key("key_" + i, "t" + i).build());
    }
    index.markReady();

    assertThat(index.size()).isEqualTo(n - n / 4);
    for (int i = 0; i < n; i++) {
      IndexedKey k = index.get(hash((i % 4 == 1 ? "t" : "s") + i));
      if (i % 4 == 0) {
        assertThat(k).as("key_" + i).isNull();
      } else {
        assertThat(k).as("key_" + i).isNotNull();
        assertThat(Objects.requireNonNull(k).id()).isEqualTo("key_" + i);
        assertThat(k.status()).isEqualTo(i % 2 == 0 ? KeyStatus.REVOKED : KeyStatus.ACTIVE);
      }
      if (i % 4 == 1) {
        assertThat(index.get(hash("s" + i))).isNull();
      }
    }
  }

  @Test
  void roomReservedForALoadKeepsWhatIsThereAndTakesEveryKeyOfTheLoad() {
    KeyIndex index = new KeyIndex(16);
    index.put(key("key_old", "old").replaces("key_0", "key_0").build());
    index.reserve(0);
    index.reserve(-1);

    index.reserve(5_000);
    for (int i = 0; i < 5_000; i++) {
      index.put(key("key_" + i, "s" + i).plan(i % 2 == 0 ? "gold" : null).build());
    }
    index.reserve(10); // never shrinks
    index.markReady();

    assertThat(index.size()).isEqualTo(5_001);
    assertThat(Objects.requireNonNull(index.get(hash("old"))).id()).isEqualTo("key_old");
    assertThat(index.identityOf("key_old")).isEqualTo("key_0");
    for (int i = 0; i < 5_000; i++) {
      IndexedKey k = Objects.requireNonNull(index.get(hash("s" + i)), "key_" + i);
      assertThat(k.id()).isEqualTo("key_" + i);
      assertThat(k.plan()).isEqualTo(i % 2 == 0 ? "gold" : null);
    }
    assertThat(index.get(hash("s5000"))).isNull();
  }
}
