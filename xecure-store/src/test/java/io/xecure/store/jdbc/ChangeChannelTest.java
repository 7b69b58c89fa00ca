package io.xecure.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.store.ChangeLog;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two deployments sharing one PostgreSQL database in different schemas each have a NOTIFY channel
 * of their own: a change in one never wakes the other's nodes.
 */
class ChangeChannelTest {

  @Test
  void theChannelIsAValidIdentifierOfItsSchemaAndTellsSchemasApart() {
    assertThat(ChangeRows.channel("public")).isEqualTo("xecure_changes_public");
    assertThat(ChangeRows.channel("t_0123abcd")).isEqualTo("xecure_changes_t_0123abcd");
    String odd = ChangeRows.channel("Prod-EU");
    assertThat(odd).matches("[a-z_][a-z0-9_]*").startsWith("xecure_changes_prod_eu_");
    assertThat(ChangeRows.channel("prod_eu")).isNotEqualTo(odd);
    String longName = ChangeRows.channel("s".repeat(80));
    assertThat(longName).hasSizeLessThanOrEqualTo(63).matches("[a-z_][a-z0-9_]*");
    assertThat(ChangeRows.channel("s".repeat(81))).isNotEqualTo(longName);
  }

  @Test
  void aChangeInOneSchemaDoesNotWakeTheOther() throws Exception {
    try (TestDatabases.PostgresSchema a = TestDatabases.postgresOrSkip();
        TestDatabases.PostgresSchema b = TestDatabases.postgresOrSkip();
        JdbcStore storeA = a.open();
        JdbcStore storeB = b.open()) {
      assertThat(storeA.channel()).isNotEqualTo(storeB.channel());
      Heard heard = new Heard();
      try (ChangeLog.Subscription subscription = storeB.subscribe(heard)) {
        assertThat(heard.connected.await(10, TimeUnit.SECONDS)).isTrue();

        // five changes in A (sequences 1 to 5), then one in B (sequence 1)
        for (int i = 0; i < 5; i++) {
          storeA.insertDeveloper(developer("dev_a" + i), null);
        }
        storeB.insertDeveloper(developer("dev_b"), null);

        assertThat(heard.first.await(10, TimeUnit.SECONDS)).isTrue();
        // notifications arrive in commit order: any of A's would have come before B's
        assertThat(heard.sequences).containsOnly(1L);
      }
    }
  }

  private static Developer developer(String id) {
    return new Developer(id, id, id + "@example.com", DeveloperStatus.ACTIVE, Instant.EPOCH);
  }

  private static final class Heard implements ChangeLog.Listener {
    final List<Long> sequences = new CopyOnWriteArrayList<>();
    final CountDownLatch connected = new CountDownLatch(1);
    final CountDownLatch first = new CountDownLatch(1);

    @Override
    public void changed(long sequence) {
      sequences.add(sequence);
      first.countDown();
    }

    @Override
    public void connected() {
      connected.countDown();
    }

    @Override
    public void disconnected(Exception cause) {}
  }
}
