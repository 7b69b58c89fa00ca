package io.xecure.pipeline;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.xecure.keys.IndexedKey;
import io.xecure.model.Developer;
import io.xecure.net.HeaderNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What the upstream receives (SPEC §5 step 6): the one place that decides it. Built once by the
 * proxy from the inbound request, with hop-by-hop headers and client-sent copies of the gateway's
 * own headers already removed and the gateway's forwarding headers set; policies edit it (key-auth
 * removes the credential); the forwarder sends it as it is, adding only the upstream's Host. The
 * inbound request is never changed.
 */
public final class OutboundRequest {
  // as bytes: Netty's encoder copies an AsciiString whole where it writes a String char by char
  static final AsciiString DEVELOPER_ID = AsciiString.cached("X-Developer-Id");
  static final AsciiString DEVELOPER_NAME = AsciiString.cached("X-Developer-Name");
  static final AsciiString API_KEY_ID = AsciiString.cached("X-Api-Key-Id");
  static final AsciiString ANONYMOUS = AsciiString.cached("X-Anonymous");
  private static final AsciiString TRUE = AsciiString.cached("true");

  private final HttpMethod method;
  private final String path;
  private @Nullable String query;
  private final MultiMap headers;
  private @Nullable Buffer body;

  /**
   * @param path the canonical path: what routing and the access rules saw
   * @param query the raw query string, without '?'
   * @param headers the headers to send, already filtered; owned by this request from now on
   */
  public OutboundRequest(HttpMethod method, String path, @Nullable String query, MultiMap headers) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    identify(null, null);
  }

  public HttpMethod method() {
    return method;
  }

  /** The canonical path; the route maps it onto the upstream's base path. */
  public String path() {
    return path;
  }

  /** The query string to send, without '?'; null for none. */
  public @Nullable String query() {
    return query;
  }

  public OutboundRequest query(@Nullable String query) {
    this.query = query;
    return this;
  }

  /**
   * The headers to send, for a policy to read or add to. The map does not validate what is added
   * (the proxy built it from headers validated once already): a policy adds only values it made
   * header-safe, as {@link #identify} does.
   */
  public MultiMap headers() {
    return headers;
  }

  /**
   * Removes every header a server could read as {@code name}: in any case, and with '_' for '-'
   * (SPEC §5 step 2), so that no spelling of a credential's header travels on.
   */
  public OutboundRequest removeHeader(String name) {
    return remove(name, value -> true, true);
  }

  /**
   * Removes the values of {@code name} (any case, '_' for '-') that {@code drop} accepts. Only the
   * matching names are touched, through the map's own (case-insensitive) remove: rebuilding every
   * header, as this did, cost a list, an entry per header and, through Vert.x's {@code size()}, a
   * sorted set of the names, on every request that carried its key in a header.
   */
  public OutboundRequest removeHeaderIf(String name, Predicate<String> drop) {
    return remove(name, drop, false);
  }

  /** With {@code every}, each matching name goes whole, its values neither read nor added back. */
  private OutboundRequest remove(String name, Predicate<String> drop, boolean every) {
    String wanted = HeaderNames.normalise(name);
    // the names as sent that match, one per spelling up to case; forEach, not the iterator,
    // which wraps every header in an entry of its own (an empty list allocates no array)
    List<String> spellings = new ArrayList<>(0);
    headers.forEach(
        (key, value) -> {
          if (HeaderNames.sameAs(key, wanted)
              && drop.test(value)
              && !containsIgnoreCase(spellings, key)) {
            spellings.add(key);
          }
        });
    if (spellings.isEmpty()) {
      return this; // the usual case for every name but the key's
    }
    for (String spelling : spellings) {
      if (every) {
        headers.remove(spelling);
        continue;
      }
      List<String> values = headers.getAll(spelling);
      headers.remove(spelling);
      for (String value : values) {
        if (!drop.test(value)) {
          headers.add(spelling, value); // kept, in their order (after the other names)
        }
      }
    }
    return this;
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    for (String n : names) {
      if (n.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** The body to send; null: the inbound body streams through unread. */
  public @Nullable Buffer body() {
    return body;
  }

  public OutboundRequest body(@Nullable Buffer body) {
    this.body = body;
    return this;
  }

  /** Names the caller to the upstream; the client's own copies were removed at construction. */
  void identify(@Nullable IndexedKey key, @Nullable Developer developer) {
    if (key != null && developer != null) {
      headers.remove(ANONYMOUS);
      headers.set(DEVELOPER_ID, developer.id());
      headers.set(DEVELOPER_NAME, headerSafe(developer.name()));
      headers.set(API_KEY_ID, key.id());
    } else {
      headers.remove(DEVELOPER_ID);
      headers.remove(DEVELOPER_NAME);
      headers.remove(API_KEY_ID);
      headers.set(ANONYMOUS, TRUE);
    }
  }

  /** Header values must be visible ASCII; a developer's name may be anything. */
  private static String headerSafe(@Nullable String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = c >= 0x20 && c < 0x7F;
      if (!ok && out == null) {
        out = new StringBuilder(value.length());
        out.append(value, 0, i);
      }
      if (out != null) {
        out.append(ok ? c : '?');
      }
    }
    return out == null ? value : out.toString();
  }
}
