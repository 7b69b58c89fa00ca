package io.xecure.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyOutcomeTest {
  @Test
  void aReasonIsTheOutcomesNameInLowerCaseAndTheSameStringEveryTime() {
    assertThat(KeyOutcome.DEVELOPER_SUSPENDED.reason()).isEqualTo("developer_suspended");
    assertThat(KeyOutcome.UNKNOWN.reason()).isEqualTo("unknown");
    // the event writer's encoded strings are found by reference first
    for (KeyOutcome outcome : KeyOutcome.values()) {
      assertThat(outcome.reason()).isSameAs(outcome.reason());
    }
  }
}
