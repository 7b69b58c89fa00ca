package io.xecure.e2e;

import io.xecure.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * {@code <xecure.root>/xecure <args>} as a child process, the way an operator starts it: through
 * the launcher script, in its own working directory, with stdout and stderr captured to files. Only
 * HTTP and the exit status are used to judge it.
 */
final class XecureProcess implements AutoCloseable {
  /** Many JVMs share a small machine during the build: keep each one's footprint small. */
  private static final String JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC";

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final long startedNanos;

  private XecureProcess(Process process, Path stdout, Path stderr, long startedNanos) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.startedNanos = startedNanos;
  }

  /** The checkout holding the launcher, as failsafe passes it (or the working directory). */
  static Path root() {
    String root = System.getProperty("xecure.root");
    return Path.of(root == null ? "." : root).toAbsolutePath().normalize();
  }

  /**
   * Starts {@code xecure args} in {@code dir}; {@code env} is added to an environment without any
   * inherited {@code XECURE_*} variable, so a developer's shell cannot change the outcome. Output
   * goes to {@code dir/<name>.out} and {@code dir/<name>.err}.
   */
  static XecureProcess start(Path dir, String name, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("xecure").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    String javaOpts = System.getenv().getOrDefault("XECURE_JAVA_OPTS", JAVA_OPTS);
    builder.environment().keySet().removeIf(k -> k.startsWith("XECURE_"));
    builder.environment().put("XECURE_JAVA_OPTS", javaOpts);
    builder.environment().putAll(env);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    long started = System.nanoTime();
    return new XecureProcess(builder.start(), out, err, started);
  }

  /** Runs a command to its end (bounded) and returns the finished process. */
  static XecureProcess run(Path dir, String name, Map<String, String> env, String... args)
      throws Exception {
    XecureProcess p = start(dir, name, env, args);
    if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
      p.close();
      throw new AssertionError("xecure " + String.join(" ", args) + " did not end within 60 s");
    }
    return p;
  }

  /**
   * A port free at the time of asking, on 127.0.0.1, for a process started later to listen on.
   * Taken below the kernel's range of ephemeral ports, where no outgoing connection is given one: a
   * port of that range, free when asked, was once taken before the gateway bound it by a connection
   * of a node started just before (to PostgreSQL, Redis or the upstream), and the node ended with
   * "already in use". Each call moves on, so that one JVM never hands out the same port twice.
   */
  static int freePort() throws IOException {
    int below = firstEphemeralPort();
    int span = Math.min(10_000, below - 1_024);
    if (span < 1_000) { // an unusual range: ask the kernel, as before
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }
    for (int i = 0; i < span; i++) {
      int port = below - span + Math.floorMod(NEXT_PORT.getAndIncrement(), span);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException busy) {
        // the next one
      }
    }
    throw new IOException("no free port in the " + span + " below " + below);
  }

  private static final AtomicInteger NEXT_PORT =
      new AtomicInteger(ThreadLocalRandom.current().nextInt(10_000));

  /** The first of the kernel's ephemeral ports (Linux); 32768, its default, where unknown. */
  private static int firstEphemeralPort() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  /**
   * Waits (at most {@code timeout}) for {@code GET /health} on {@code port} to answer 200 and
   * returns the time since the process was started. Fails early, with the process's output, when
   * the process ends instead.
   */
  Duration awaitHealthy(int port, Duration timeout) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    withOutput(
        () ->
            Eventually.await(
                "200 from :" + port + "/health",
                timeout,
                () -> {
                  if (!process.isAlive()) {
                    throw new IllegalStateException(
                        "xecure ended with status "
                            + process.exitValue()
                            + " before it was healthy");
                  }
                  try {
                    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  } catch (IOException e) {
                    return -1; // not listening yet
                  }
                },
                status -> status == 200));
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Waits (at most {@code timeout}) until stdout holds a line matching {@code done}. */
  String awaitStdout(Predicate<String> done, Duration timeout) throws Exception {
    return withOutput(
        () ->
            Eventually.await(
                "an expected line on stdout",
                timeout,
                () -> {
                  String text = stdout();
                  if (!process.isAlive() && text.lines().noneMatch(done)) {
                    throw new IllegalStateException(
                        "xecure ended with status " + process.exitValue());
                  }
                  return text;
                },
                text -> text.lines().anyMatch(done)));
  }

  /** Runs a wait; when it times out or the process ends, the failure carries its output. */
  private <T> T withOutput(Callable<T> wait) throws Exception {
    try {
      return wait.call();
    } catch (AssertionError | IllegalStateException e) {
      throw new AssertionError(e.getMessage() + "\n" + dump(), e);
    }
  }

  /** Sends SIGTERM and waits (at most {@code timeout}) for the exit status. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  /** Kills the process with SIGKILL, as a crash or the OOM killer would, and waits for its end. */
  void kill() throws InterruptedException {
    if (!process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("xecure did not end within 10 s of SIGKILL");
    }
  }

  /** Waits (at most {@code timeout}) for the process to end by itself; its exit status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("xecure did not end within " + timeout + "\n" + dump());
    }
    return process.exitValue();
  }

  boolean alive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  String stdout() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  Path stdoutFile() {
    return stdout;
  }

  Path stderrFile() {
    return stderr;
  }

  /** Both outputs, for failure messages. */
  String dump() {
    try {
      return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** Kills a process a test left running (after a failure); a no-op once it has ended. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
