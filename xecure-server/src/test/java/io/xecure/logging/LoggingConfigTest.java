package io.xecure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import io.vertx.core.json.JsonObject;
import io.xecure.keys.KeyFormat;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The shipped logback.xml, in both formats, and the JSON-lines encoder. */
class LoggingConfigTest {
  @Test
  void jsonFormatWritesJsonLinesAndTheAccessLogNeverBlocks() throws Exception {
    LoggerContext context = configure("json");
    try {
      Logger access = context.getLogger(AccessLog.LOGGER);
      assertThat(access.getLevel()).isEqualTo(Level.INFO);
      assertThat(access.isAdditive()).isFalse();
      AsyncAppender async = (AsyncAppender) access.getAppender("access");
      assertThat(async.isNeverBlock()).isTrue();
      assertThat(async.getQueueSize()).isEqualTo(8192);
      assertThat(async.getDiscardingThreshold()).isZero();
      ConsoleAppender<ILoggingEvent> stdout = console(async.getAppender("stdout"));
      assertThat(stdout.getTarget()).isEqualTo("System.out");
      assertThat(delegate(stdout)).isInstanceOf(JsonLinesEncoder.class);

      ConsoleAppender<ILoggingEvent> stderr =
          console(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("stderr"));
      assertThat(stderr.getTarget()).isEqualTo("System.err");
      assertThat(delegate(stderr)).isInstanceOf(JsonLinesEncoder.class);
    } finally {
      context.stop();
    }
  }

  @Test
  void textIsTheDefault() throws Exception {
    LoggerContext context = configure(null);
    try {
      AsyncAppender async =
          (AsyncAppender) context.getLogger(AccessLog.LOGGER).getAppender("access");
      assertThat(delegate(console(async.getAppender("stdout"))))
          .isInstanceOf(PatternLayoutEncoder.class);
      assertThat(
              delegate(console(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("stderr"))))
          .isInstanceOf(PatternLayoutEncoder.class);
    } finally {
      context.stop();
    }
  }

  @Test
  void anUnknownFormatIsReportedAndWrittenAsText() throws Exception {
    LoggerContext context = new LoggerContext();
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat("yaml");
    encoder.start();
    assertThat(encoder.delegate()).isInstanceOf(PatternLayoutEncoder.class);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anyMatch(
            s ->
                s.getLevel() == Status.ERROR
                    && s.getMessage().startsWith("XECURE_LOG_FORMAT: must be text or json"));
  }

  @Test
  void aJsonLineIsFlatEscapedAndCarriesTheStackTrace() {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger("io.xecure.app.Gateway");
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            logger,
            Level.WARN,
            "could not store {} events: \"{}\"",
            new IllegalStateException("store down"),
            new Object[] {3, "a\nb"});
    event.addKeyValuePair(new KeyValuePair("status", 503));
    event.addKeyValuePair(new KeyValuePair("api", "users"));

    String line = new String(new JsonLinesEncoder().encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("logger")).isEqualTo("io.xecure.app.Gateway");
    assertThat(json.getString("message")).isEqualTo("could not store 3 events: \"a\nb\"");
    assertThat(json.getValue("status")).isEqualTo(503);
    assertThat(json.getString("api")).isEqualTo("users");
    assertThat(json.getString("error"))
        .startsWith("java.lang.IllegalStateException: store down")
        .contains("at io.xecure.logging.LoggingConfigTest");
    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder(
            "time", "level", "logger", "thread", "message", "status", "api", "error");
  }

  /**
   * Issue 7 item 9: every line either stream writes passes the scrubber, in both formats, whatever
   * logged it: a message quoting a request, an exception message, a stack trace.
   */
  @Test
  void everyLineIsScrubbedOnItsWayOut() {
    String key = new KeyFormat("xk_").generate();
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger("io.xecure.proxy.ProxyHandler");
    LoggingEvent event =
        new LoggingEvent(
            "fqcn",
            logger,
            Level.ERROR,
            "request {} failed: GET /users?access_token={}",
            new IllegalArgumentException("bad target /users/" + key),
            new Object[] {"req_1", "legacy-secret-0123456789"});
    for (String format : new String[] {"text", "json"}) {
      LogFormatEncoder encoder = new LogFormatEncoder();
      encoder.setContext(context);
      encoder.setFormat(format);
      encoder.setPattern("%msg %ex%n");
      encoder.start();

      String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

      assertThat(line)
          .as(format)
          .contains("access_token=REDACTED", "bad target /users/xk_REDACTED")
          .doesNotContain(key, "legacy-secret");
    }
  }

  private static LoggerContext configure(@Nullable String format) throws Exception {
    URL config = Objects.requireNonNull(LoggingConfigTest.class.getResource("/logback.xml"));
    LoggerContext context = new LoggerContext();
    if (format != null) {
      context.putProperty("XECURE_LOG_FORMAT", format);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .as("logback warns, and then prints its whole status on every start")
        .noneMatch(s -> s.getLevel() >= Status.WARN);
    return context;
  }

  private static Object delegate(ConsoleAppender<ILoggingEvent> appender) {
    assertThat(appender.getEncoder()).isInstanceOf(LogFormatEncoder.class);
    return ((LogFormatEncoder) appender.getEncoder()).delegate();
  }

  @SuppressWarnings("unchecked")
  private static ConsoleAppender<ILoggingEvent> console(Object appender) {
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    return (ConsoleAppender<ILoggingEvent>) appender;
  }
}
