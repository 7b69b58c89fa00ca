package io.xecure.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty's leak detector (paranoid in this module's tests) has
 * reported a buffer never released: a leak on the request path is memory a client can exhaust.
 * Registered for every class (META-INF/services); the reports reach it through the Logback appender
 * {@link Reports}. A leak is found when the collector has freed the buffer, so it may be charged to
 * a class after the one that caused it; the report's access records say where it was last.
 */
public final class LeakGuard implements AfterAllCallback {

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (int i = 0; i < 3 && Reports.LEAKS.isEmpty(); i++) {
      System.gc();
      Thread.sleep(50);
      // the detector looks for collected, unreleased buffers when it tracks a new one
      for (int j = 0; j < 64; j++) {
        ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(8);
        probe.release();
      }
    }
    if (!Reports.LEAKS.isEmpty()) {
      String first = Reports.LEAKS.get(0);
      Reports.LEAKS.clear();
      throw new AssertionError("a Netty buffer was never released:\n" + first);
    }
  }

  /** Collects what {@code io.netty.util.ResourceLeakDetector} logs (logback-test.xml). */
  public static final class Reports extends AppenderBase<ILoggingEvent> {
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      LEAKS.add(event.getFormattedMessage());
    }
  }
}
