package io.xecure.net.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import io.xecure.testing.Eventually;
import io.xecure.testing.GatewayHarness;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Raw-socket clients that behave badly on purpose, and what the gateway recorded of them. */
final class Clients {
  private static final Pattern REQUEST_ID = Pattern.compile("(?i)x-request-id: (\\S+)");

  private Clients() {}

  static Socket connect(int port) throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) Eventually.DEFAULT_WAIT.toMillis());
    return socket;
  }

  static void send(Socket socket, String text) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * Everything that arrives until the gateway closes the connection; fails when it stays open for
   * {@link Eventually#DEFAULT_WAIT} without a byte.
   */
  static String untilClosed(Socket socket) throws Exception {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        received.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the connection is still open; received: "
              + received.toString(StandardCharsets.ISO_8859_1));
    } catch (SocketException e) {
      // reset: closed with bytes unread on one side
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes one header line every {@code everyMillis} until the gateway stops reading or 200 lines
   * are sent: each read alone is quick, the head as a whole never ends.
   */
  static Thread drip(Socket socket, long everyMillis) {
    Thread dripper =
        new Thread(
            () -> {
              for (int i = 0; i < 200; i++) {
                try {
                  Thread.sleep(everyMillis);
                  send(socket, "X-Drip-" + i + ": 1\r\n");
                } catch (Exception e) {
                  return;
                }
              }
            },
            "dripper");
    dripper.setDaemon(true);
    dripper.start();
    return dripper;
  }

  static String requestId(String reply) {
    Matcher id = REQUEST_ID.matcher(reply);
    assertThat(id.find()).as("a request id in " + reply).isTrue();
    return id.group(1);
  }

  static RequestEvent event(GatewayHarness gw, String requestId) throws Exception {
    return Eventually.await(
            "the event of " + requestId,
            () ->
                gw.gateway().store().requestEvents(1000).stream()
                    .filter(e -> e.requestId().equals(requestId))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }
}
