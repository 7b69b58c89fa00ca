package io.xecure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code events:} — the file, its rotation and the spool; retention comes from {@code
 * retention.events}.
 */
class EventsConfigTest {
  @Test
  void defaults() throws ConfigException {
    EventsConfig events = ConfigLoader.parse("", Map.of()).events();

    assertThat(events)
        .isEqualTo(
            new EventsConfig(
                true,
                null,
                true,
                100L << 20,
                Duration.ofDays(1),
                "./data/spool",
                Duration.ofDays(30),
                List.of("api_key", "apikey", "key", "token", "access_token"),
                null,
                null,
                128L << 20,
                Duration.ofMinutes(1)));
    assertThat(events).isEqualTo(new EventsConfig(true, null));
  }

  @Test
  void everyValueIsRead() throws ConfigException {
    EventsConfig events =
        ConfigLoader.parse(
                """
                events:
                  file: /var/log/xecure/events.jsonl
                  max_file_size: 10MiB
                  max_file_age: 6h
                  spool_dir: /var/spool/xecure
                  redact_params: [ sig, X-Amz-Signature ]
                  max_store_lag: 10s
                retention: { events: 7d }
                """,
                Map.of())
            .events();

    assertThat(events)
        .isEqualTo(
            new EventsConfig(
                true,
                "/var/log/xecure/events.jsonl",
                true,
                10L << 20,
                Duration.ofHours(6),
                "/var/spool/xecure",
                Duration.ofDays(7),
                List.of("sig", "X-Amz-Signature"),
                null,
                null,
                128L << 20,
                Duration.ofSeconds(10)));
  }

  @Test
  void environmentOverridesEachValue() throws ConfigException {
    EventsConfig events =
        ConfigLoader.parse(
                "events: { max_file_size: 1MiB }",
                Map.of(
                    "XECURE_EVENTS_MAX_FILE_SIZE", "2MB",
                    "XECURE_EVENTS_SPOOL_DIR", "/tmp/spool",
                    "XECURE_RETENTION_EVENTS", "90d"))
            .events();

    assertThat(events.maxFileSize()).isEqualTo(2_000_000);
    assertThat(events.spoolDir()).isEqualTo("/tmp/spool");
    assertThat(events.retention()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void badValuesAreAllReportedWithTheirPath() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    """
                    events:
                      max_file_size: huge
                      max_file_age: 0s
                      spool_dir: "  "
                      max_store_lag: soon
                      rotate: daily
                    """,
                    Map.of()));

    List<String> problems = e.problems();
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "events.max_file_size: must be a size such as 512KiB, 1MiB or 10MB (1 byte to 1GiB),"
                + " got \"huge\"",
            "events.max_file_age: must be a positive duration such as 500ms, 30s, 5m, 24h or 7d,"
                + " got \"0s\"",
            "events.spool_dir: must be a directory path, got \"  \"",
            "events.max_store_lag: must be a positive duration such as 500ms, 30s, 5m, 24h or 7d,"
                + " got \"soon\"",
            "events.rotate: unknown field");
  }

  @Test
  void requestEventsGoToDuckDbWithH2AndToTheStoreWithPostgres() throws ConfigException {
    GatewayConfig h2 = ConfigLoader.parse("", Map.of());
    GatewayConfig postgres =
        ConfigLoader.parse("store: { url: \"jdbc:postgresql://db/xecure\" }", Map.of());
    GatewayConfig chosen =
        ConfigLoader.parse(
            """
            events:
              engine: store
              duckdb: { file: /var/lib/xecure/events.duckdb, memory_limit: 64MiB }
            """,
            Map.of());

    assertThat(h2.events().engineFor(h2.store())).isEqualTo(EventsConfig.Engine.DUCKDB);
    assertThat(postgres.events().engineFor(postgres.store())).isEqualTo(EventsConfig.Engine.STORE);
    assertThat(chosen.events().engineFor(chosen.store())).isEqualTo(EventsConfig.Engine.STORE);
    assertThat(chosen.events().duckdbFile()).isEqualTo("/var/lib/xecure/events.duckdb");
    assertThat(chosen.events().duckdbMemoryLimit()).isEqualTo(64L << 20);
  }

  @Test
  void duckDbWithAPostgresStoreIsRefused() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigLoader.parse(
                    """
                    store: { url: "jdbc:postgresql://db/xecure" }
                    events:
                      engine: duckdb
                      duckdb: { memory_limit: 1MiB }
                    """,
                    Map.of()));

    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "events.engine: duckdb keeps events in one node's file: with a PostgreSQL store (a"
                + " cluster) use store, so every node's events are in one shared place",
            "events.duckdb.memory_limit: must be at least 16MiB, got \"1MiB\"");
  }

  @Test
  void anUnknownEngineIsRefused() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigLoader.parse("events: { engine: sqlite }", Map.of()));

    assertThat(e.problems())
        .containsExactly("events.engine: must be duckdb or store, got \"sqlite\"");
  }
}
