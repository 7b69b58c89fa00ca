package io.xecure.events.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Lowers the calling thread to nice 19 on Linux, where a thread has a scheduling priority of its
 * own: a busy CPU then runs it only when nothing else wants to run. Java has no call for it, so
 * {@code renice} is asked with the thread's id, read from {@code /proc/thread-self}. Without
 * privileges a thread cannot be raised again: work that must not wait goes to a thread that was
 * never lowered ({@link FileIndexer}).
 */
final class LowPriority {
  static final int NICE = 19;

  private LowPriority() {}

  /**
   * Lowers the calling thread; returns null when done, else why not (not Linux, no {@code renice}).
   */
  static @Nullable String lowerCurrentThread() {
    String tid = currentThreadId();
    if (tid == null) {
      return "no /proc/thread-self (not Linux)";
    }
    try {
      Process renice =
          new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!renice.waitFor(10, TimeUnit.SECONDS)) {
        renice.destroyForcibly();
        return "renice did not answer";
      }
      return renice.exitValue() == 0 ? null : "renice exited with " + renice.exitValue();
    } catch (IOException e) {
      return "renice could not run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The kernel's id of the calling thread, or null when {@code /proc} does not say. */
  static @Nullable String currentThreadId() {
    try {
      // a link to "<pid>/task/<tid>"
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
      Path tid = self.getFileName();
      return tid == null ? null : tid.toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}
