package io.xecure.proxy;

import static io.xecure.testing.GatewayHarness.api;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.xecure.model.DeveloperStatus;
import io.xecure.model.KeyStatus;
import io.xecure.testing.EchoUpstream;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A client that goes away mid-response is ordinary traffic: recorded, and never an ERROR. */
class ClientDisconnectTest {
  private static final int RESPONSE_BYTES = 50_000_000;
  private static final int DISCONNECTS = 5;

  @TempDir static Path dir;
  static EchoUpstream upstream;
  static GatewayHarness gw;
  static String key;
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();
  static Logger root;

  @BeforeAll
  static void start() throws Exception {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.setContext(root.getLoggerContext());
    log.start();
    root.addAppender(log);
    upstream = new EchoUpstream();
    gw = new GatewayHarness(dir, List.of(api("users", "/users", upstream.url())));
    key = gw.issue(gw.developer("Ada", DeveloperStatus.ACTIVE), List.of("*"), KeyStatus.ACTIVE)[0];
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    upstream.close();
    root.detachAppender(log);
  }

  @Test
  void aClientClosingMidBodyIsRecordedWithoutAnError() throws Exception {
    String path = "/users/big/" + RESPONSE_BYTES;
    for (int i = 0; i < DISCONNECTS; i++) {
      readSomeAndClose(path);
    }

    Eventually.await(
        "every cut-off response recorded",
        () ->
            gw.gateway().store().requestEvents(1000).stream()
                .filter(e -> e.path().equals(path))
                .count(),
        n -> n == DISCONNECTS);
    // a request after them on a fresh connection is served: the gateway is unharmed
    assertThat(gw.get("/users/after", "X-API-Key", key).statusCode()).isEqualTo(200);
    List<ILoggingEvent> errors;
    synchronized (log) { // the appender appends under this lock
      errors = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).toList();
    }
    assertThat(errors).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }

  /** Starts a large download, reads its first bytes and closes the connection. */
  private static void readSomeAndClose(String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gw.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[64 * 1024];
      long read = 0;
      while (read < 256 * 1024) {
        int n = in.read(buf);
        assertThat(n).as("bytes of the response").isPositive();
        read += n;
      }
    }
  }
}
