package io.xecure.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback for fault tests: put it between a client and a server, then {@link
 * #cut()} the line (every connection closed, new ones refused at once), {@link #stall()} it
 * (connections stay open, nothing gets through: a hung server or a network dropping packets) and
 * {@link #restore()} it.
 */
public final class FaultProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean cut;
  private volatile boolean stalled;
  private volatile boolean closed;

  public FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The loopback port the proxy listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code redis://127.0.0.1:<port>} of the proxy. */
  public String redisUrl() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /** Closes every connection and refuses new ones (accepted, then closed at once). */
  public void cut() {
    cut = true;
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  /** Lets nothing through, in either direction, on open and new connections. */
  public void stall() {
    stalled = true;
  }

  /** Forwards again; connections closed by {@link #cut()} stay closed. */
  public void restore() {
    synchronized (gate) {
      cut = false;
      stalled = false;
      gate.notifyAll();
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  awaitFlow();
                  if (cut || closed) {
                    break;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the line was cut or closed: end both sides below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "fault-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Holds bytes while stalled, until restored, cut or closed. */
  private void awaitFlow() throws InterruptedException {
    synchronized (gate) {
      while (stalled && !cut && !closed) {
        gate.wait(1_000);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (gate) {
      gate.notifyAll();
    }
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
