package io.xecure.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopesTest {

  @ParameterizedTest(name = "{0} holds {1}: {2}")
  @CsvSource({
    "users:read,       users:read,         true",
    "users:read,       users:write,        false",
    "users:read,       users,              false",
    "users:*,          users:read,         true",
    "users:*,          users:write,        true",
    "users:*,          users:admin:delete, true",
    "users:*,          users:*,            true",
    "users:*,          users,              false",
    "users:*,          usersx:read,        false",
    "users:*,          analytics:read,     false",
    "users:admin:*,    users:admin:delete, true",
    "users:admin:*,    users:read,         false",
    "*,                users:read,         true",
    "*,                anything,           true",
    // only a trailing ':*' is a wildcard
    "users*,           users:read,         false",
    "users:r*,         users:read,         false",
    ":*,               :x,                 false",
    "users:read,       users:*,            false",
  })
  void holds(String held, String required, boolean expected) {
    assertThat(Scopes.holds(Set.of(held), required)).isEqualTo(expected);
  }

  @Test
  void firstMissingIsInRuleOrder() {
    Set<String> held = Set.of("users:read", "billing:*");
    assertThat(Scopes.firstMissing(held, List.of("users:read", "billing:refund"))).isNull();
    assertThat(Scopes.firstMissing(held, List.of("users:read", "users:write", "users:delete")))
        .isEqualTo("users:write");
    assertThat(Scopes.firstMissing(Set.of(), List.of("a", "b"))).isEqualTo("a");
    assertThat(Scopes.firstMissing(Set.of(), List.of())).isNull();
  }
}
