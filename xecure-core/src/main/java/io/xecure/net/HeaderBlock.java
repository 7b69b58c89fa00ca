package io.xecure.net;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a head's header fields, {@code name: value CRLF} each, into a buffer in one copy: they are
 * laid out in an array of the writing thread's, which is then copied into the buffer at once.
 * Netty's encoder ({@code HttpHeadersEncoder}) writes every name and every value into the buffer on
 * its own, a string a character at a time, with the buffer's bounds and liveness checked for each
 * piece: 3 % of the event loop's CPU with a valid key (a request's fields and its answer's, {@code
 * bench/results/jit-and-headers-2026-12-08.md}).
 *
 * <p>The bytes are Netty's: a character up to U+00FF is written as its one ISO-8859-1 byte, and any
 * other as {@code ?} (so a value the gateway set from text, a developer's name, cannot put a CR or
 * LF on the wire by its low byte). Nothing is validated here: the maps the heads are made of
 * validate what is put in them.
 */
public final class HeaderBlock {
  /** The array a head is laid out in; a longer head is copied in several pieces. */
  static final int SCRATCH_BYTES = 8 * 1024;

  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[SCRATCH_BYTES];
        }
      };

  private HeaderBlock() {}

  /** Writes every field of {@code headers}, in their order, at {@code buf}'s writer index. */
  public static void write(HttpHeaders headers, ByteBuf buf) {
    byte[] a = SCRATCH.get();
    int n = 0;
    // the iterator made here, where the compiler can see that it does not escape
    Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
    while (fields.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      CharSequence name = field.getKey();
      CharSequence value = field.getValue();
      int size = name.length() + value.length() + 4;
      if (n + size > a.length) {
        buf.writeBytes(a, 0, n);
        n = 0;
        if (size > a.length) {
          a = new byte[size]; // one field longer than the array: rare, and bounded by the decoders
        }
      }
      n = put(name, a, n);
      a[n++] = ':';
      a[n++] = ' ';
      n = put(value, a, n);
      a[n++] = '\r';
      a[n++] = '\n';
    }
    buf.writeBytes(a, 0, n);
  }

  private static int put(CharSequence s, byte[] a, int at) {
    int length = s.length();
    if (s instanceof AsciiString ascii) {
      System.arraycopy(ascii.array(), ascii.arrayOffset(), a, at, length);
    } else if (s instanceof String string) {
      for (int i = 0; i < length; i++) {
        a[at + i] = latin1(string.charAt(i));
      }
    } else {
      for (int i = 0; i < length; i++) {
        a[at + i] = latin1(s.charAt(i));
      }
    }
    return at + length;
  }

  private static byte latin1(char c) {
    return c > 0xFF ? (byte) '?' : (byte) c;
  }
}
