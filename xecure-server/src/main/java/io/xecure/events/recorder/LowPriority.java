package io.xecure.events.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Moves the calling thread to Linux's idle scheduling class ({@code SCHED_IDLE}), the lowest weight
 * the fair scheduler has: it gives the CPU up at once when a normal thread wakes there, and
 * otherwise gets a small share of a busy CPU. Not none: under EEVDF (Linux 6.6 and later) a busy
 * normal thread whose virtual time runs ahead of the queue's average is not eligible, the idle
 * thread is picked and runs until its slice ends at a timer tick, up to 4 ms at HZ 250
 * (bench/results/scheduler-2026-12-07.md). Nice 19, what this did first, is the same with a larger
 * share. Java has no call for either, so {@code chrt} is asked with the thread's id, read from
 * {@code /proc/thread-self}; where {@code chrt} fails, {@code renice} to 19. An unprivileged thread
 * cannot leave the idle class or be raised again: work that must not wait goes to a thread that was
 * never lowered ({@link FileIndexer}).
 */
final class LowPriority {
  static final int NICE = 19;

  /** {@code SCHED_IDLE}'s number, as {@code /proc/PID/task/TID/stat} shows a thread's policy. */
  static final int SCHED_IDLE = 5;

  private LowPriority() {}

  /**
   * Lowers the calling thread; returns null when it is in the idle class, else what happened
   * instead (nice 19, or why it runs at normal priority).
   */
  static @Nullable String lowerCurrentThread() {
    String tid = currentThreadId();
    if (tid == null) {
      return "no /proc/thread-self (not Linux)";
    }
    String idle = run("chrt", "--idle", "-p", "0", tid);
    if (idle == null) {
      return null;
    }
    String nice = run("renice", "-n", Integer.toString(NICE), "-p", tid);
    return nice == null
        ? "at nice " + NICE + ", not in the idle class: " + idle
        : idle + "; " + nice;
  }

  /** Runs a command; null when it exits with 0, else why not. */
  private static @Nullable String run(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return command[0] + " did not answer";
      }
      return p.exitValue() == 0 ? null : command[0] + " exited with " + p.exitValue();
    } catch (IOException e) {
      return command[0] + " could not run: " + e.getMessage();
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
