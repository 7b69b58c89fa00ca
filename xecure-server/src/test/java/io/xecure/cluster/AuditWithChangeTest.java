package io.xecure.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.xecure.app.Gateway;
import io.xecure.config.ClusterConfig;
import io.xecure.keys.IndexedKey;
import io.xecure.model.Developer;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.service.DeveloperPatch;
import io.xecure.service.IssuedKey;
import io.xecure.service.KeySpec;
import io.xecure.store.AdminEvent;
import io.xecure.store.jdbc.JdbcStore;
import io.xecure.store.jdbc.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change, its change-feed row and its admin event are one transaction: when the admin event
 * cannot be written (here a trigger on PostgreSQL refuses it), the change is not made either, and
 * the admin call fails rather than leaving a change no audit records.
 */
class AuditWithChangeTest {
  @Test
  void whenTheAdminEventCannotBeWrittenTheChangeIsNotMadeEither(@TempDir Path dir)
      throws Exception {
    try (TestDatabases.PostgresSchema schema = TestDatabases.postgresOrSkip();
        ClusterNodes nodes = new ClusterNodes(dir, List.of())) {
      Gateway gw = nodes.start(schema.url(), new ClusterConfig(null));
      Developer dev = await(gw.developers().create("test", "Ada", "ada@example.com"));
      IssuedKey key =
          await(
              gw.keys()
                  .issue(
                      "test",
                      dev.id(),
                      new KeySpec("k", List.of("*"), List.of(), List.of(), null, null)));
      long before = ((JdbcStore) gw.store()).latestSequence();
      int events = gw.store().adminEvents(100).size();

      refuseAdminEvents(schema);

      assertThatThrownBy(() -> await(gw.keys().revoke("test", key.key().id())))
          .hasStackTraceContaining("audit refused");
      assertThatThrownBy(
              () ->
                  await(
                      gw.developers()
                          .update(
                              "test",
                              dev.id(),
                              new DeveloperPatch(null, null, DeveloperStatus.SUSPENDED))))
          .hasStackTraceContaining("audit refused");

      assertThat(gw.store().key(key.key().id()))
          .hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE));
      assertThat(gw.store().developer(dev.id()))
          .hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(DeveloperStatus.ACTIVE));
      assertThat(((JdbcStore) gw.store()).latestSequence()).as("no change row").isEqualTo(before);
      IndexedKey indexed =
          Objects.requireNonNull(gw.index().get(gw.hasher().hash(key.plaintext())), "indexed");
      assertThat(indexed.status()).isEqualTo(KeyStatus.ACTIVE);
      assertThat(gw.store().adminEvents(100))
          .hasSize(events)
          .extracting(AdminEvent::action)
          .doesNotContain("key.revoked", "developer.updated");
    }
  }

  /** A trigger that makes every insert into admin_events fail. */
  private static void refuseAdminEvents(TestDatabases.PostgresSchema schema) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", TestDatabases.postgresUser());
    String password = TestDatabases.postgresPassword();
    if (password != null) {
      p.setProperty("password", password);
    }
    String s = schema.name();
    try (Connection c = DriverManager.getConnection(schema.url(), p);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE FUNCTION "
              + s
              + ".refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
              + " $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$");
      st.execute(
          "CREATE TRIGGER refuse_audit BEFORE INSERT ON "
              + s
              + ".admin_events FOR EACH ROW EXECUTE PROCEDURE "
              + s
              + ".refuse_audit()");
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
