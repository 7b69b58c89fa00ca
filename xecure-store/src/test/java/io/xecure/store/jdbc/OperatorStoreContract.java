package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xecure.model.Operator;
import io.xecure.model.OperatorRole;
import io.xecure.model.OperatorToken;
import io.xecure.model.OperatorToken.Kind;
import io.xecure.store.OperatorStore.Credentials;
import io.xecure.store.OperatorStore.Grant;
import io.xecure.store.Page;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link io.xecure.store.OperatorStore} contract, run unchanged on every backend. */
abstract class OperatorStoreContract {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");
  static final String HASH_A = "a".repeat(64);
  static final String HASH_B = "b".repeat(64);

  @SuppressWarnings("NullAway.Init") // set before each test
  JdbcStore store;

  abstract JdbcStore openStore();

  @BeforeEach
  void openFreshStore() {
    store = openStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static Operator ada() {
    return new Operator("op_1", "ada@example.com", "Ada", OperatorRole.OWNER, false, T0);
  }

  @Test
  void operatorRoundTripsWithItsPasswordHashReadOnlyByEmail() {
    store.insertOperator(ada(), "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");

    assertThat(store.operator("op_1")).contains(ada());
    assertThat(store.operator("op_2")).isEmpty();
    assertThat(store.credentials("ada@example.com"))
        .contains(new Credentials(ada(), "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA"));
    assertThat(store.credentials("bob@example.com")).isEmpty();
    assertThat(store.setOperatorPassword("op_1", "$new")).isTrue();
    assertThat(store.credentials("ada@example.com").orElseThrow().passwordHash()).isEqualTo("$new");
    assertThat(store.setOperatorPassword("op_2", "$new")).isFalse();
  }

  @Test
  void emailsAreUnique() {
    store.insertOperator(ada(), null);
    Operator twin =
        new Operator("op_2", "ada@example.com", "Twin", OperatorRole.AUDITOR, false, T0);

    assertThatThrownBy(() -> store.insertOperator(twin, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate operator");
  }

  @Test
  void updatePagesAndDelete() {
    store.insertOperator(ada(), null);
    store.insertOperator(
        new Operator("op_2", "bob@example.com", "Bob", OperatorRole.AUDITOR, false, T0), null);
    Operator changed =
        new Operator("op_2", "bob@example.com", "Bo", OperatorRole.OPERATOR, true, T0);

    assertThat(store.updateOperator(changed)).contains(changed);
    assertThat(
            store.updateOperator(
                new Operator("op_9", "x@example.com", "X", OperatorRole.OWNER, false, T0)))
        .isEmpty();
    Page<Operator> first = store.operators(1, null);
    assertThat(first.items()).containsExactly(ada());
    assertThat(first.nextCursor()).isEqualTo("op_1");
    assertThat(store.operators(1, "op_1").items()).containsExactly(changed);
    assertThat(store.operators(1, "op_1").nextCursor()).isNull();

    store.insertOperatorToken(token("opt_1", "op_2", Kind.TOKEN), HASH_A);
    assertThat(store.deleteOperator("op_2")).isTrue();
    assertThat(store.deleteOperator("op_2")).isFalse();
    assertThat(store.operator("op_2")).isEmpty();
    assertThat(store.operatorTokenByHash(HASH_A)).isEmpty();
  }

  @Test
  void tokensAreFoundByHashWithTheirOperatorListedByKindRevokedAndTouched() {
    store.insertOperator(ada(), null);
    OperatorToken token = token("opt_1", "op_1", Kind.TOKEN);
    OperatorToken session = token("ses_1", "op_1", Kind.SESSION);
    store.insertOperatorToken(token, HASH_A);
    store.insertOperatorToken(session, HASH_B);

    assertThat(store.operatorTokenByHash(HASH_A)).contains(new Grant(token, ada()));
    assertThat(store.operatorTokenByHash("c".repeat(64))).isEmpty();
    assertThat(store.operatorTokens("op_1", Kind.TOKEN)).containsExactly(token);
    assertThat(store.operatorTokens("op_1", Kind.SESSION)).containsExactly(session);
    assertThatThrownBy(() -> store.insertOperatorToken(token("opt_2", "op_1", Kind.TOKEN), HASH_A))
        .isInstanceOf(IllegalArgumentException.class);

    Instant used = T0.plusSeconds(60);
    store.touchOperatorToken("opt_1", used);
    assertThat(store.revokeOperatorToken("op_1", "opt_1", T0.plusSeconds(120))).isTrue();
    assertThat(store.revokeOperatorToken("op_1", "opt_1", T0.plusSeconds(180))).isTrue();
    assertThat(store.revokeOperatorToken("op_2", "ses_1", T0)).isFalse();
    OperatorToken read = store.operatorTokenByHash(HASH_A).orElseThrow().token();
    assertThat(read.lastUsedAt()).isEqualTo(used);
    assertThat(read.revokedAt()).isEqualTo(T0.plusSeconds(120));
    assertThat(store.operatorTokens("op_1", Kind.TOKEN))
        .extracting(OperatorToken::id)
        .isEqualTo(List.of("opt_1"));
  }

  private static OperatorToken token(String id, String operatorId, Kind kind) {
    return new OperatorToken(
        id,
        operatorId,
        kind,
        "laptop",
        T0,
        kind == Kind.SESSION ? T0.plusSeconds(3600) : null,
        null,
        null);
  }
}
