package io.xecure.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An upstream on 127.0.0.1 that writes whatever bytes a test scripts, for answers no HTTP server
 * would send: each request head (requests without a body) is answered with {@code answer} applied
 * to the head's text, on as many keep-alive connections as the gateway opens.
 */
public final class RawUpstream implements AutoCloseable {
  private final ServerSocket server;
  private final Function<String, String> answer;
  private final AtomicInteger accepted = new AtomicInteger();

  public RawUpstream(Function<String, String> answer) throws IOException {
    this.answer = answer;
    this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::serve);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** The request target of a head's request line. */
  public static String target(String head) {
    return head.substring(0, head.indexOf("\r\n")).split(" ")[1];
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        Thread each =
            new Thread(
                () -> {
                  try (s) {
                    s.setSoTimeout(20_000);
                    String head;
                    while ((head = readHead(s.getInputStream())) != null) {
                      s.getOutputStream()
                          .write(answer.apply(head).getBytes(StandardCharsets.ISO_8859_1));
                      s.getOutputStream().flush();
                    }
                  } catch (IOException e) {
                    // closed by the gateway or the test
                  }
                });
        each.setDaemon(true);
        each.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Reads one request head; null at the end of the stream. */
  private static @Nullable String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      int n = head.length();
      if (n >= 4 && head.charAt(n - 4) == '\r' && head.substring(n - 3).equals("\n\r\n")) {
        return head.toString();
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
