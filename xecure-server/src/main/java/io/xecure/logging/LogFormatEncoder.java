package io.xecure.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The encoder of both log streams in {@code logback.xml}: {@code format} {@code text} writes {@code
 * pattern}, {@code json} writes {@link JsonLinesEncoder}'s lines. One appender per stream whatever
 * the format: logback's configuration has no conditionals without an extra library, and choosing
 * between appenders by name leaves one unreferenced, which logback warns about (and then prints its
 * whole status) on every start.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
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

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
