package io.xecure.events.recorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file's lines from its end back, a chunk at a time: the work is the tail read, however
 * large the file. Lines end with {@code \n}; bytes after the last one (a line a crash cut short)
 * are not a line: {@link #tornBytes} says how many there were.
 */
final class LinesFromEnd implements AutoCloseable {
  private static final int CHUNK = 1 << 16;

  private final FileChannel channel;
  private final long tornBytes;
  // file bytes [bufferStart, end) not yet returned, in buffer[0, end - bufferStart)
  private byte[] buffer = new byte[0];
  private long bufferStart;
  private long end;

  LinesFromEnd(Path file) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    long size = channel.size();
    this.bufferStart = size;
    this.end = size;
    long lastBreak = size == 0 ? -1 : lastLineBreakBefore(size);
    this.tornBytes = size - (lastBreak + 1);
    this.end = lastBreak + 1;
  }

  /** Bytes after the last line break, which no line holds. */
  long tornBytes() {
    return tornBytes;
  }

  /** The line before the last one returned (the last line at first), or null at the start. */
  @Nullable String previous() throws IOException {
    if (end == 0) {
      return null;
    }
    // end - 1 is this line's break; the line starts after the break before it
    long start = lastLineBreakBefore(end - 1) + 1;
    int from = (int) (start - bufferStart);
    int length = (int) (end - 1 - start);
    String line = new String(buffer, from, length, StandardCharsets.UTF_8);
    end = start;
    return line;
  }

  /** The offset of the last {@code \n} before {@code limit}, or -1; reads back as it needs. */
  private long lastLineBreakBefore(long limit) throws IOException {
    long i = limit - 1;
    while (true) {
      for (; i >= bufferStart; i--) {
        if (buffer[(int) (i - bufferStart)] == '\n') {
          return i;
        }
      }
      if (bufferStart == 0) {
        return -1;
      }
      readChunkBefore(limit);
    }
  }

  /** Prepends the chunk before {@code bufferStart}, keeping only the bytes up to {@code keepTo}. */
  private void readChunkBefore(long keepTo) throws IOException {
    long from = Math.max(0, bufferStart - CHUNK);
    int read = (int) (bufferStart - from);
    int kept = (int) (keepTo - bufferStart);
    if (read + (long) kept > Integer.MAX_VALUE - 8) {
      throw new IOException("a line of more than 2 GiB");
    }
    byte[] next = new byte[read + kept];
    ByteBuffer chunk = ByteBuffer.wrap(next, 0, read);
    while (chunk.hasRemaining()) {
      if (channel.read(chunk, from + chunk.position()) < 0) {
        throw new IOException("file shrank while read");
      }
    }
    System.arraycopy(buffer, 0, next, read, kept);
    buffer = next;
    bufferStart = from;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
