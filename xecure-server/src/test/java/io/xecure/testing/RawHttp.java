package io.xecure.testing;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One request sent exactly as written on a {@link Clients} connection and its answer read, for
 * requests no HTTP client would send (framing attacks).
 */
public final class RawHttp {
  private RawHttp() {}

  /** Writes {@code request} to 127.0.0.1:{@code port} and returns what came back within 3 s. */
  public static String exchange(int port, String request) throws Exception {
    try (Socket socket = Clients.connect(port)) {
      socket.setSoTimeout(3000);
      Clients.send(socket, request);
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          response.write(buf, 0, n);
          if (complete(response.toString(StandardCharsets.ISO_8859_1))) {
            break;
          }
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // the server kept or closed the connection: what arrived is the answer
      }
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** What came back on one connection, and whether the gateway closed it. */
  public record Reply(String text, boolean closed) {
    /** How many responses came back: a refused request must be the last one read. */
    public int responses() {
      return (int) STATUS_LINE.matcher(text).results().count();
    }
  }

  private static final java.util.regex.Pattern STATUS_LINE =
      java.util.regex.Pattern.compile("HTTP/1\\.[01] [1-5][0-9][0-9] ");

  /**
   * Writes {@code request} to 127.0.0.1:{@code port} and reads until the gateway closes the
   * connection; {@link Reply#closed} is false when nothing more came for {@link
   * Eventually#DEFAULT_WAIT} and the connection was still open. A close returns at once: the wait
   * only bounds the failure.
   */
  public static Reply untilClosed(int port, String request) throws Exception {
    try (Socket socket = Clients.connect(port)) {
      Clients.send(socket, request);
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      boolean closed;
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          response.write(buf, 0, n);
        }
        closed = true;
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (java.net.SocketException e) {
        closed = true; // reset: closed with bytes still unread on the gateway's side
      }
      return new Reply(response.toString(StandardCharsets.ISO_8859_1), closed);
    }
  }

  private static boolean complete(String s) {
    int end = s.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = s.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    int cl = head.indexOf("content-length:");
    if (cl < 0) {
      return false;
    }
    int eol = head.indexOf("\r\n", cl);
    int length = Integer.parseInt(head.substring(cl + 15, eol < 0 ? head.length() : eol).trim());
    return s.length() - end - 4 >= length;
  }
}
