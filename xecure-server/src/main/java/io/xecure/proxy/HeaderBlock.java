package io.xecure.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a head's header fields as Netty's encoders do ({@code name: value} and CRLF each, a
 * character above 255 as {@code ?}), but into a byte array of the event loop's first, then into the
 * buffer at once: Netty's encoder makes five checked writes to the pooled buffer per field, each
 * reading its reference count (2.9 % of the event loop with a valid key,
 * bench/results/netty-default-2026-12-06.md).
 */
public final class HeaderBlock {
  private static final int KEPT = 64 * 1024;

  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[4096];
        }
      };

  private HeaderBlock() {}

  /** Appends every field of {@code headers} to {@code buf}; the blank line is the caller's. */
  public static void encode(HttpHeaders headers, ByteBuf buf) {
    byte[] b = SCRATCH.get();
    int n = 0;
    Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
    while (fields.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      CharSequence name = field.getKey();
      CharSequence value = field.getValue();
      int need = name.length() + value.length() + 4;
      if (n + need > b.length) {
        buf.writeBytes(b, 0, n);
        n = 0;
        if (need > b.length) {
          b = new byte[Math.max(need, 2 * b.length)];
          if (b.length <= KEPT) {
            SCRATCH.set(b);
          }
        }
      }
      n = ascii(name, b, n);
      b[n++] = ':';
      b[n++] = ' ';
      n = ascii(value, b, n);
      b[n++] = '\r';
      b[n++] = '\n';
    }
    buf.writeBytes(b, 0, n);
  }

  private static int ascii(CharSequence s, byte[] b, int at) {
    int length = s.length();
    if (s instanceof AsciiString a) {
      System.arraycopy(a.array(), a.arrayOffset(), b, at, length);
    } else {
      for (int i = 0; i < length; i++) {
        b[at + i] = AsciiString.c2b(s.charAt(i));
      }
    }
    return at + length;
  }
}
