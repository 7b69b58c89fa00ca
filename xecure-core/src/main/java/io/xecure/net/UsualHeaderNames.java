package io.xecure.net;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The header names that come with most messages, each one shared {@link AsciiString} in its usual
 * spelling and in lower case, found by their exact bytes. An HTTP/1 decoder makes a new name of
 * every field of every head; with these it takes the constant instead. A name is only ever replaced
 * by a constant with the same bytes, so the next hop receives the spelling that was sent.
 */
public final class UsualHeaderNames {
  /** In upstreams' answers. */
  public static final UsualHeaderNames ANSWERS =
      new UsualHeaderNames(
          "Accept-Ranges",
          "Access-Control-Allow-Credentials",
          "Access-Control-Allow-Headers",
          "Access-Control-Allow-Methods",
          "Access-Control-Allow-Origin",
          "Access-Control-Expose-Headers",
          "Access-Control-Max-Age",
          "Age",
          "Allow",
          "Cache-Control",
          "Connection",
          "Content-Disposition",
          "Content-Encoding",
          "Content-Language",
          "Content-Length",
          "Content-Location",
          "Content-Range",
          "Content-Security-Policy",
          "Content-Type",
          "Date",
          "ETag",
          "Etag",
          "Expires",
          "Keep-Alive",
          "Last-Modified",
          "Link",
          "Location",
          "Pragma",
          "Referrer-Policy",
          "Retry-After",
          "Server",
          "Set-Cookie",
          "Strict-Transport-Security",
          "Trailer",
          "Transfer-Encoding",
          "Vary",
          "WWW-Authenticate",
          "X-Content-Type-Options",
          "X-Frame-Options",
          "X-Powered-By",
          "X-Request-Id");

  /** In clients' requests, the default key header's usual spellings among them. */
  public static final UsualHeaderNames REQUESTS =
      new UsualHeaderNames(
          "Accept",
          "Accept-Encoding",
          "Accept-Language",
          "Authorization",
          "Cache-Control",
          "Connection",
          "Content-Length",
          "Content-Type",
          "Cookie",
          "Expect",
          "Host",
          "If-Modified-Since",
          "If-None-Match",
          "Origin",
          "Pragma",
          "Referer",
          "Transfer-Encoding",
          "Upgrade",
          "User-Agent",
          "X-API-Key",
          "X-Api-Key",
          "X-Forwarded-For",
          "X-Request-Id",
          "X-Requested-With");

  /** The names by length: {@code byLength[n]} holds those of n bytes. */
  private final AsciiString[][] byLength;

  private UsualHeaderNames(String... usual) {
    int longest = 0;
    for (String name : usual) {
      longest = Math.max(longest, name.length());
    }
    List<List<AsciiString>> lists = new ArrayList<>();
    for (int n = 0; n <= longest; n++) {
      lists.add(new ArrayList<>());
    }
    for (String name : usual) {
      List<AsciiString> same = lists.get(name.length());
      for (String spelling : new String[] {name, name.toLowerCase(Locale.ROOT)}) {
        AsciiString constant = AsciiString.cached(spelling);
        if (!same.contains(constant)) { // AsciiString's equals is case-sensitive
          same.add(constant);
        }
      }
    }
    byLength = new AsciiString[longest + 1][];
    for (int n = 0; n <= longest; n++) {
      byLength[n] = lists.get(n).toArray(new AsciiString[0]);
    }
  }

  /** The constant with exactly the bytes {@code sb[start, start + length)}, or null. */
  public @Nullable AsciiString find(byte[] sb, int start, int length) {
    if (length >= byLength.length) {
      return null;
    }
    for (AsciiString name : byLength[length]) {
      byte[] bytes = name.array(); // cached(): the whole array, from offset 0
      int i = 0;
      while (i < length && bytes[i] == sb[start + i]) {
        i++;
      }
      if (i == length) {
        return name;
      }
    }
    return null;
  }
}
