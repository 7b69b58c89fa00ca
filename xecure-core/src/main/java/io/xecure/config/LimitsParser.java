package io.xecure.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Binds {@code gateway.limits}; see {@link LimitsConfig} for its fields and defaults. */
final class LimitsParser {
  private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  private LimitsParser() {}

  static LimitsConfig parse(Section s) {
    LimitsConfig d = LimitsConfig.DEFAULT;
    LimitsConfig limits =
        new LimitsConfig(
            s.get("header_timeout", d.headerTimeout(), LimitsParser::timeout),
            s.get("body_idle_timeout", d.bodyIdleTimeout(), LimitsParser::timeout),
            s.get("idle_timeout", d.idleTimeout(), LimitsParser::timeout),
            s.get("max_header_size", d.maxHeaderSize(), LimitsParser::headSize),
            s.get("max_uri", d.maxUri(), LimitsParser::headSize),
            s.get(
                "max_connections",
                d.maxConnections(),
                v -> (int) Values.integer(v, 1, 1_000_000, "must be an integer from 1 to 1000000")),
            s.get("response_write_timeout", d.responseWriteTimeout(), LimitsParser::timeout),
            s.get("buffered_bodies", d.bufferedBodies(), Values::size),
            s.get(
                "max_upstream_connections",
                d.maxUpstreamConnections(),
                v -> (int) Values.integer(v, 1, 100_000, "must be an integer from 1 to 100000")));
    s.finish();
    return limits;
  }

  private static Duration timeout(JsonNode value) throws BadValue {
    Duration d = Values.positiveDuration(value);
    if (d.compareTo(MAX_TIMEOUT) > 0) {
      throw BadValue.got("must be a positive duration of at most 1h", value);
    }
    return d;
  }

  /** 1 KiB to 1 MiB: Netty holds a head in memory while it is parsed. */
  private static int headSize(JsonNode value) throws BadValue {
    long size;
    try {
      size = Values.size(value);
    } catch (BadValue e) {
      size = 0;
    }
    if (size < 1024 || size > 1024 * 1024) {
      throw BadValue.got("must be a size from 1KiB to 1MiB", value);
    }
    return (int) size;
  }
}
