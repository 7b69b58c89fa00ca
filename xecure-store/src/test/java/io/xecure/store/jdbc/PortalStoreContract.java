package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.store.PortalStore.Account;
import io.xecure.store.PortalStore.AccountCredentials;
import io.xecure.store.PortalStore.Allowance;
import io.xecure.store.PortalStore.Invitation;
import io.xecure.store.PortalStore.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link io.xecure.store.PortalStore} contract, run unchanged on every backend. */
abstract class PortalStoreContract {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123Z");
  static final String HASH_A = "a".repeat(64);
  static final String HASH_B = "b".repeat(64);
  static final String HASH_C = "c".repeat(64);

  @SuppressWarnings("NullAway.Init") // set before each test
  JdbcStore store;

  abstract JdbcStore openStore();

  @BeforeEach
  void openFreshStore() {
    store = openStore();
    store.insertDeveloper(
        new Developer("dev_a", "A", "a@example.com", DeveloperStatus.ACTIVE, T0), null);
    store.insertDeveloper(
        new Developer("dev_b", "B", "b@example.com", DeveloperStatus.ACTIVE, T0), null);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static Invitation invitation(String id, String developer) {
    return new Invitation(id, developer, "op_1", T0, T0.plus(Duration.ofHours(72)), null);
  }

  @Test
  void invitationIsFoundByItsHashAndAcceptedOnceOnly() {
    store.insertInvitation(invitation("inv_1", "dev_a"), HASH_A);

    assertThat(store.invitationByHash(HASH_A)).contains(invitation("inv_1", "dev_a"));
    assertThat(store.invitationByHash(HASH_B)).isEmpty();
    assertThat(store.portalAccount("dev_a")).isEmpty();

    Instant at = T0.plusSeconds(60);
    assertThat(store.acceptInvitation("inv_1", at, "a@example.com", "$hash1"))
        .contains(new Account("dev_a", "a@example.com", at));
    assertThat(store.acceptInvitation("inv_1", at.plusSeconds(1), "a@example.com", "$hash2"))
        .isEmpty();
    assertThat(store.invitationByHash(HASH_A).orElseThrow().usedAt()).isEqualTo(at);
    assertThat(store.portalCredentials("a@example.com"))
        .contains(new AccountCredentials(new Account("dev_a", "a@example.com", at), "$hash1"));
    assertThat(store.portalCredentials("b@example.com")).isEmpty();
  }

  @Test
  void expiredInvitationIsRefused() {
    store.insertInvitation(invitation("inv_1", "dev_a"), HASH_A);

    assertThat(store.acceptInvitation("inv_1", T0.plus(Duration.ofHours(72)), "a@x.io", "$h"))
        .isEmpty();
    assertThat(store.portalAccount("dev_a")).isEmpty();
    assertThat(store.acceptInvitation("inv_unknown", T0, "a@x.io", "$h")).isEmpty();
  }

  @Test
  void aSecondInvitationResetsThePasswordOfTheSameAccount() {
    store.insertInvitation(invitation("inv_1", "dev_a"), HASH_A);
    store.insertInvitation(invitation("inv_2", "dev_a"), HASH_B);
    store.acceptInvitation("inv_1", T0, "a@example.com", "$old");

    store.acceptInvitation("inv_2", T0.plusSeconds(5), "a@example.com", "$new");

    assertThat(store.portalCredentials("a@example.com").orElseThrow())
        .isEqualTo(new AccountCredentials(new Account("dev_a", "a@example.com", T0), "$new"));
  }

  @Test
  void anEmailBelongsToOneAccountAndAFailedAcceptanceLeavesTheInvitationOpen() {
    store.insertInvitation(invitation("inv_1", "dev_a"), HASH_A);
    store.insertInvitation(invitation("inv_2", "dev_b"), HASH_B);
    store.acceptInvitation("inv_1", T0, "same@example.com", "$a");

    assertThatThrownBy(() -> store.acceptInvitation("inv_2", T0, "same@example.com", "$b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.invitationByHash(HASH_B).orElseThrow().usedAt()).isNull();
  }

  @Test
  void invitationHashesAreUnique() {
    store.insertInvitation(invitation("inv_1", "dev_a"), HASH_A);

    assertThatThrownBy(() -> store.insertInvitation(invitation("inv_2", "dev_b"), HASH_A))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sessionsAreFoundByHashTouchedAndRevoked() {
    Session session = new Session("pss_1", "dev_a", T0, T0.plus(Duration.ofHours(12)), T0, null);
    store.insertPortalSession(session, HASH_C);

    assertThat(store.portalSessionByHash(HASH_C)).contains(session);
    assertThat(store.portalSessionByHash(HASH_A)).isEmpty();

    store.touchPortalSession("pss_1", T0.plusSeconds(30));
    assertThat(store.portalSessionByHash(HASH_C).orElseThrow().lastUsedAt())
        .isEqualTo(T0.plusSeconds(30));

    assertThat(store.revokePortalSession("pss_1", T0.plusSeconds(40))).isTrue();
    assertThat(store.revokePortalSession("pss_1", T0.plusSeconds(50))).isTrue();
    assertThat(store.portalSessionByHash(HASH_C).orElseThrow().revokedAt())
        .isEqualTo(T0.plusSeconds(40));
    assertThat(store.revokePortalSession("pss_2", T0)).isFalse();
  }

  @Test
  void allowanceIsSetAndReplacedPerDeveloper() {
    assertThat(store.allowance("dev_a")).isEmpty();
    Allowance first = new Allowance(List.of("users", "orders"), List.of("users:read"), 3, "free");
    Allowance second = new Allowance(List.of("users"), List.of(), 1, null);

    store.putAllowance("dev_a", first);
    assertThat(store.allowance("dev_a")).contains(first);
    assertThat(store.allowance("dev_b")).isEmpty();

    store.putAllowance("dev_a", second);
    assertThat(store.allowance("dev_a")).contains(second);
  }

  @Test
  void anUnknownDeveloperIsRefused() {
    assertThatThrownBy(() -> store.insertInvitation(invitation("inv_1", "dev_zz"), HASH_A))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.putAllowance("dev_zz", Allowance.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
