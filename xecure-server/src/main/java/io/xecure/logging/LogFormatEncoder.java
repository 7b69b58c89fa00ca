package io.xecure.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import io.xecure.scrub.Scrubber;
import java.nio.charset.StandardCharsets;

/**
 * The encoder of both log streams in {@code logback.xml}: {@code format} {@code text} writes {@code
 * pattern}, {@code json} writes {@link JsonLinesEncoder}'s lines. One appender per stream whatever
 * the format: logback's configuration has no conditionals without an extra library, and choosing
 * between appenders by name leaves one unreferenced, which logback warns about (and then prints its
 * whole status) on every start.
 *
 * <p>Every line passes the gateway's {@link Scrubber} on its way out, whatever logged it: an
 * operator line that quotes a request, an exception message or a stack trace holds no key either.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
  private static volatile Scrubber scrubber = Scrubber.DEFAULT;

  private String format = "text";
  private String pattern = "%msg%n";
  private Encoder<ILoggingEvent> delegate = new JsonLinesEncoder();

  /** {@code text} or {@code json}; anything else is reported and written as text. */
  public void setFormat(String format) {
    this.format = format;
  }

  /** The layout pattern of the text format. */
  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    if (format.equals("json")) {
      delegate = new JsonLinesEncoder();
    } else {
      if (!format.equals("text")) {
        addError("XECURE_LOG_FORMAT: must be text or json, got \"" + format + "\"; writing text");
      }
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(pattern);
      delegate = text;
    }
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  @Override
  public void stop() {
    delegate.stop();
    super.stop();
  }

  /** The encoder that writes the lines: a pattern or JSON lines. */
  Encoder<ILoggingEvent> delegate() {
    return delegate;
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  /**
   * The scrubber of every line from now on: the gateway's, with its key prefix and parameter names
   * (logging is configured before the gateway's config is read, so it is set afterwards).
   */
  public static void scrubWith(Scrubber gateways) {
    scrubber = gateways;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return scrub(delegate.encode(event));
  }

  /**
   * Scrubbed as ISO-8859-1, one char per byte: a UTF-8 sequence is bytes over 0x7F, never part of a
   * key or a parameter name, and comes out unchanged. The same array when there is nothing to do.
   */
  static byte[] scrub(byte[] line) {
    String text = new String(line, StandardCharsets.ISO_8859_1);
    String scrubbed = scrubber.scrub(text);
    return scrubbed == text ? line : scrubbed.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
