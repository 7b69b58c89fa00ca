package io.xecure.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.xecure.events.RequestEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Raw-socket clients on 127.0.0.1, for what no HTTP client does: behave badly on purpose (drip a
 * head, stall a body, read nothing), send bytes exactly as written, and read what the gateway
 * answered and recorded of it. Every read waits at most {@link Eventually#DEFAULT_WAIT}.
 */
public final class Clients {
  private static final Pattern REQUEST_ID = Pattern.compile("(?i)x-request-id: (\\S+)");

  private Clients() {}

  /**
   * A connection to 127.0.0.1:{@code port} whose reads fail after {@link Eventually#DEFAULT_WAIT}.
   */
  public static Socket connect(int port) throws Exception {
    return connect(port, 0);
  }

  /**
   * As {@link #connect(int)}, with a receive buffer of {@code receiveBuffer} bytes (0: the
   * system's) set before connecting, so that it bounds the TCP window: a client that reads nothing
   * soon stops the sender.
   */
  public static Socket connect(int port, int receiveBuffer) throws Exception {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.setSoTimeout((int) Eventually.DEFAULT_WAIT.toMillis());
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      return socket;
    } catch (Exception e) {
      socket.close();
      throw e;
    }
  }

  /** Writes {@code text} as ISO-8859-1 bytes, exactly as written. */
  public static void send(Socket socket, String text) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * Everything that arrives until the gateway closes the connection; fails when it stays open for
   * {@link Eventually#DEFAULT_WAIT} without a byte.
   */
  public static String untilClosed(Socket socket) throws Exception {
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
   * What arrives on a connection kept open until it ends with {@code last} (the end of the one
   * answer expected) or the gateway closes it.
   */
  public static String until(Socket socket, String last) throws Exception {
    InputStream in = socket.getInputStream();
    StringBuilder reply = new StringBuilder();
    byte[] buf = new byte[8192];
    while (!reply.toString().endsWith(last)) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      reply.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return reply.toString();
  }

  /**
   * Writes one header line every {@code everyMillis} until the gateway stops reading or 200 lines
   * are sent: each read alone is quick, the head as a whole never ends.
   */
  public static Thread drip(Socket socket, long everyMillis) {
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

  /** The X-Request-Id of a raw answer; fails when it has none. */
  public static String requestId(String reply) {
    Matcher id = REQUEST_ID.matcher(reply);
    assertThat(id.find()).as("a request id in " + reply).isTrue();
    return id.group(1);
  }

  /** The request event the gateway recorded with {@code requestId}, once it is stored. */
  public static RequestEvent event(GatewayHarness gw, String requestId) throws Exception {
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
