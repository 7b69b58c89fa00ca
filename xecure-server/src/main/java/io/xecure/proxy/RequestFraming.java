package io.xecure.proxy;

import io.vertx.core.MultiMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Refuses ambiguous message framing before anything reaches an upstream (request smuggling, RFC
 * 9112 §6.3): Transfer-Encoding together with Content-Length, more than one Content-Length, a
 * Content-Length that is not a plain number, and any Transfer-Encoding other than "chunked". The
 * HTTP decoder already rejects malformed chunk sizes; this covers what it tolerates.
 */
final class RequestFraming {
  private RequestFraming() {}

  /** The public reason the framing is refused, or null when it is unambiguous. */
  static @Nullable String problem(MultiMap headers) {
    List<String> te = headers.getAll("transfer-encoding");
    List<String> cl = headers.getAll("content-length");
    if (!te.isEmpty() && !cl.isEmpty()) {
      return "Both Transfer-Encoding and Content-Length are present.";
    }
    if (te.size() > 1 || (te.size() == 1 && !"chunked".equalsIgnoreCase(te.get(0).trim()))) {
      return "Only Transfer-Encoding: chunked is accepted.";
    }
    if (cl.size() > 1) {
      return "More than one Content-Length.";
    }
    if (cl.size() == 1 && !digits(cl.get(0))) {
      return "Content-Length is not a number.";
    }
    return null;
  }

  private static boolean digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
