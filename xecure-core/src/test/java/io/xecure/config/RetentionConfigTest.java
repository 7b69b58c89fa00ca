package io.xecure.config;

import static io.xecure.config.ConfigErrorsTest.problems;
import static io.xecure.usage.UsageInterval.DAY;
import static io.xecure.usage.UsageInterval.HOUR;
import static io.xecure.usage.UsageInterval.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code retention}: defaults, values, overrides and every problem at once. */
class RetentionConfigTest {
  @Test
  void defaultsToThirtyDaysOfEventsAndFourHundredDaysOfUsage() throws ConfigException {
    RetentionConfig config = ConfigLoader.parse("", Map.of()).retention();

    assertThat(config)
        .isEqualTo(new RetentionConfig(Duration.ofDays(30), Duration.ofDays(400)))
        .isEqualTo(RetentionConfig.DEFAULT);
  }

  @Test
  void readsEveryField() throws ConfigException {
    RetentionConfig config =
        ConfigLoader.parse("retention: { events: 7d, usage: 90d }", Map.of()).retention();

    assertThat(config).isEqualTo(new RetentionConfig(Duration.ofDays(7), Duration.ofDays(90)));
  }

  @Test
  void finerUsageIsKeptLessLongByDefault() throws ConfigException {
    RetentionConfig defaults = ConfigLoader.parse("", Map.of()).retention();
    RetentionConfig set =
        ConfigLoader.parse(
                "retention: { usage: 730d, usage_hours: 90d, usage_minutes: 2d }", Map.of())
            .retention();
    RetentionConfig short_ = ConfigLoader.parse("retention: { usage: 3d }", Map.of()).retention();

    assertThat(List.of(defaults.usage(DAY), defaults.usage(HOUR), defaults.usage(MINUTE)))
        .containsExactly(Duration.ofDays(400), Duration.ofDays(60), Duration.ofDays(7));
    assertThat(List.of(set.usage(DAY), set.usage(HOUR), set.usage(MINUTE)))
        .containsExactly(Duration.ofDays(730), Duration.ofDays(90), Duration.ofDays(2));
    // left out, the finer grains are kept no longer than the coarser
    assertThat(List.of(short_.usage(DAY), short_.usage(HOUR), short_.usage(MINUTE)))
        .containsExactly(Duration.ofDays(3), Duration.ofDays(3), Duration.ofDays(3));
    assertThat(problems("retention: { usage_hours: 10, usage_minutes: soon }"))
        .containsExactlyInAnyOrder(
            "retention.usage_hours: must be a duration of at least 1h, such as 30d or 400d,"
                + " got \"10\"",
            "retention.usage_minutes: must be a duration of at least 1h, such as 30d or 400d,"
                + " got \"soon\"");
  }

  @Test
  void oneValueLeavesTheOtherAtItsDefault() throws ConfigException {
    RetentionConfig config = ConfigLoader.parse("retention: { usage: 2h }", Map.of()).retention();

    assertThat(config).isEqualTo(new RetentionConfig(Duration.ofDays(30), Duration.ofHours(2)));
  }

  @Test
  void environmentOverridesEachValue() throws ConfigException {
    RetentionConfig config =
        ConfigLoader.parse(
                "retention: { events: 7d }",
                Map.of("XECURE_RETENTION_EVENTS", "14d", "XECURE_RETENTION_USAGE", "730d"))
            .retention();

    assertThat(config).isEqualTo(new RetentionConfig(Duration.ofDays(14), Duration.ofDays(730)));
  }

  @Test
  void reportsEveryBadValueWithItsPath() {
    assertThat(problems("retention: { events: 30, usage: forever, raw: 1d }"))
        .containsExactlyInAnyOrder(
            "retention.events: must be a duration of at least 1h, such as 30d or 400d, got \"30\"",
            "retention.usage: must be a duration of at least 1h, such as 30d or 400d,"
                + " got \"forever\"",
            "retention.raw: unknown field");
  }

  @Test
  void retentionMustBeAMapping() {
    assertThat(problems("retention: 30d"))
        .containsExactly("retention: expected a mapping, got \"30d\"");
  }
}
