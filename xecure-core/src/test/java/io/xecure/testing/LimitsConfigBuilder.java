package io.xecure.testing;

import io.xecure.config.LimitsConfig;
import java.time.Duration;

/**
 * {@code gateway.limits} for a test: SPEC §9's defaults ({@link LimitsConfig#DEFAULT}) with only
 * the values the test is about changed, so that each test says what it shortens or caps.
 */
public final class LimitsConfigBuilder {
  private Duration headerTimeout = LimitsConfig.DEFAULT.headerTimeout();
  private Duration bodyIdleTimeout = LimitsConfig.DEFAULT.bodyIdleTimeout();
  private Duration idleTimeout = LimitsConfig.DEFAULT.idleTimeout();
  private int maxHeaderSize = LimitsConfig.DEFAULT.maxHeaderSize();
  private int maxUri = LimitsConfig.DEFAULT.maxUri();
  private int maxConnections = LimitsConfig.DEFAULT.maxConnections();
  private Duration responseWriteTimeout = LimitsConfig.DEFAULT.responseWriteTimeout();
  private long bufferedBodies = LimitsConfig.DEFAULT.bufferedBodies();
  private int maxUpstreamConnections = LimitsConfig.DEFAULT.maxUpstreamConnections();

  private LimitsConfigBuilder() {}

  public static LimitsConfigBuilder limits() {
    return new LimitsConfigBuilder();
  }

  /**
   * Limits a test can reach in a second or so: 1 s for the head, a stalled body and an idle
   * connection, 4 KiB heads, 1 KiB targets, 5 s to write an answer.
   */
  public static LimitsConfigBuilder tight() {
    return limits()
        .headerTimeout(Duration.ofSeconds(1))
        .bodyIdleTimeout(Duration.ofSeconds(1))
        .idleTimeout(Duration.ofSeconds(1))
        .maxHeaderSize(4 * 1024)
        .maxUri(1024)
        .responseWriteTimeout(Duration.ofSeconds(5));
  }

  public LimitsConfigBuilder headerTimeout(Duration d) {
    headerTimeout = d;
    return this;
  }

  public LimitsConfigBuilder bodyIdleTimeout(Duration d) {
    bodyIdleTimeout = d;
    return this;
  }

  public LimitsConfigBuilder idleTimeout(Duration d) {
    idleTimeout = d;
    return this;
  }

  public LimitsConfigBuilder maxHeaderSize(int bytes) {
    maxHeaderSize = bytes;
    return this;
  }

  public LimitsConfigBuilder maxUri(int bytes) {
    maxUri = bytes;
    return this;
  }

  public LimitsConfigBuilder maxConnections(int n) {
    maxConnections = n;
    return this;
  }

  public LimitsConfigBuilder responseWriteTimeout(Duration d) {
    responseWriteTimeout = d;
    return this;
  }

  public LimitsConfigBuilder bufferedBodies(long bytes) {
    bufferedBodies = bytes;
    return this;
  }

  public LimitsConfigBuilder maxUpstreamConnections(int n) {
    maxUpstreamConnections = n;
    return this;
  }

  public LimitsConfig build() {
    return new LimitsConfig(
        headerTimeout,
        bodyIdleTimeout,
        idleTimeout,
        maxHeaderSize,
        maxUri,
        maxConnections,
        responseWriteTimeout,
        bufferedBodies,
        maxUpstreamConnections);
  }
}
