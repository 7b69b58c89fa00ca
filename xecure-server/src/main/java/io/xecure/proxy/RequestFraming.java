package io.xecure.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.impl.HttpUtils;
import java.util.function.BiConsumer;

/**
 * The framing rules of one request head (SPEC §5 "Framing", RFC 9112 §6): sees every header field
 * as the decoder parses it and throws {@link Refused} at the first that makes the body's length
 * ambiguous, so that the head fails to decode and nothing after it is read. Refused:
 *
 * <ul>
 *   <li>Content-Length together with Transfer-Encoding, on any HTTP version;
 *   <li>a second Content-Length (even an equal one) or a second Transfer-Encoding;
 *   <li>a Content-Length that is not a plain decimal number without sign or leading zeros;
 *   <li>a Transfer-Encoding other than exactly {@code chunked}, and any Transfer-Encoding on
 *       HTTP/1.0 (RFC 9112 §6.1: its framing is faulty).
 * </ul>
 *
 * One instance per head, installed as the validator of the head's header map; once the head is
 * decoded ({@link #headDecoded}) it only validates names and values as Vert.x does.
 */
final class RequestFraming implements BiConsumer<CharSequence, CharSequence> {
  /** A framing refusal; its message is public (fixed text, never a header's value). */
  static final class Refused extends IllegalArgumentException {
    Refused(String message) {
      super(message);
    }
  }

  private static final int MAX_LENGTH_DIGITS = 18;
  private static final int CONTENT_LENGTH = HttpHeaderNames.CONTENT_LENGTH.length();
  private static final int TRANSFER_ENCODING = HttpHeaderNames.TRANSFER_ENCODING.length();

  private final boolean http10;
  private boolean decoding = true;
  private boolean length;
  private boolean chunked;

  RequestFraming(boolean http10) {
    this.http10 = http10;
  }

  /** The head is complete: later changes to the header map are not framing. */
  void headDecoded() {
    decoding = false;
  }

  @Override
  public void accept(CharSequence name, CharSequence value) {
    HttpUtils.validateHeader(name, value);
    if (!decoding) {
      return;
    }
    // the length first: most names are neither, and most differ from both in length
    int n = name.length();
    if (n == CONTENT_LENGTH && HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
      if (chunked) {
        throw new Refused("Both Transfer-Encoding and Content-Length are present.");
      }
      if (length) {
        throw new Refused("More than one Content-Length.");
      }
      if (!plainNumber(value)) {
        throw new Refused("Content-Length is not a plain number.");
      }
      length = true;
    } else if (n == TRANSFER_ENCODING
        && HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)) {
      if (http10) {
        throw new Refused("Transfer-Encoding is not allowed on HTTP/1.0.");
      }
      if (length) {
        throw new Refused("Both Transfer-Encoding and Content-Length are present.");
      }
      if (chunked || !"chunked".contentEquals(value)) {
        throw new Refused("Only one Transfer-Encoding: chunked is accepted.");
      }
      chunked = true;
    }
  }

  /** {@code 0} or a decimal number without a leading zero, small enough for a long. */
  private static boolean plainNumber(CharSequence s) {
    int n = s.length();
    if (n == 0 || n > MAX_LENGTH_DIGITS || (n > 1 && s.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
