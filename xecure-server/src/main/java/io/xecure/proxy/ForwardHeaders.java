package io.xecure.proxy;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.xecure.net.HeaderNames;
import io.xecure.pipeline.ClientRequest;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.OutboundRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which client headers may travel upstream, and which upstream headers may travel back. Drops
 * hop-by-hop headers (RFC 9110 §7.6.1, plus those a Connection header names) and every client-sent
 * copy of a header the gateway itself sets or that rewrites routing behind it, matched in any case
 * and with '_' for '-' (SPEC §5 step 6), so that no client can pose as a developer or a path.
 */
final class ForwardHeaders {
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "proxy-authorization",
          "proxy-authenticate");

  private static final String[] HOP_BY_HOP_NAMES = HOP_BY_HOP.toArray(new String[0]);

  private static final Set<String> GATEWAY_OWNED =
      Set.of(
          "host",
          "content-length",
          "x-developer-id",
          "x-developer-name",
          "x-api-key-id",
          "x-anonymous",
          "x-request-id",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-host",
          "x-forwarded-port",
          "x-forwarded-prefix",
          "forwarded",
          "x-real-ip",
          "x-original-url",
          "x-rewrite-url",
          "x-http-method-override",
          "x-http-method",
          "x-method-override");

  // The gateway's own names and fixed values as bytes: Netty's encoder copies an AsciiString whole
  // where it writes a String a char at a time
  private static final AsciiString REQUEST_ID = AsciiString.cached("X-Request-Id");
  private static final AsciiString FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
  private static final AsciiString FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
  private static final AsciiString FORWARDED_HOST = AsciiString.cached("X-Forwarded-Host");
  private static final AsciiString HTTPS = AsciiString.cached("https");
  private static final AsciiString HTTP = AsciiString.cached("http");

  private ForwardHeaders() {}

  /**
   * The request the upstream receives, before any policy: the canonical path, the query as sent,
   * the client's end-to-end headers without any it may not set, and the gateway's forwarding
   * headers (SPEC §5 step 6). The identity headers follow from {@link Exchange#authenticate}.
   */
  static OutboundRequest outbound(
      ClientRequest request,
      String path,
      @Nullable String query,
      String requestId,
      String forwardedFor) {
    // Not a validating map: everything put in it here was checked once already. The client's
    // headers passed the request decoder's validating map (HTTP/1.1 and HTTP/2 alike), and so did
    // what the gateway builds from them (X-Forwarded-For, X-Forwarded-Host); the request id is the
    // gateway's own; OutboundRequest makes the identity headers safe itself. Checking again cost a
    // pass over every character of every header.
    MultiMap headers = HeadersMultiMap.caseInsensitive();
    copyRequest(request.headers(), headers);
    // added, not set: copyRequest let no client copy of these through
    headers.add(REQUEST_ID, requestId);
    headers.add(FORWARDED_FOR, forwardedFor);
    headers.add(FORWARDED_PROTO, request.isSSL() ? HTTPS : HTTP);
    String host = request.getHeader(HttpHeaders.HOST);
    if (host != null) {
      headers.add(FORWARDED_HOST, host);
    }
    return new OutboundRequest(request.method(), path, query, headers);
  }

  /** Copies the headers a client may send upstream from {@code from} into {@code to}. */
  private static void copyRequest(MultiMap from, MultiMap to) {
    Set<String> named = connectionNamed(from.get("connection"));
    // forEach, not the iterator: Vert.x's iterator wraps every header in an entry of its own
    from.forEach(
        (key, value) -> {
          String name = HeaderNames.normalise(key);
          if (!HOP_BY_HOP.contains(name)
              && !GATEWAY_OWNED.contains(name)
              && (named.isEmpty() || !named.contains(name))) {
            to.add(key, value);
          }
        });
  }

  /**
   * An upstream response's end-to-end headers, to go back to the client: {@code headers} itself,
   * with the hop-by-hop ones and those its {@code Connection} names removed and, with {@code
   * dropCors}, its {@code Access-Control-*} headers (the gateway sets its own). Names are matched
   * as a client's are ('_' as '-'): a spelling can only make a header dropped, never kept.
   */
  static MultiMap upstreamHeaders(HeadersMultiMap headers, boolean dropCors) {
    Set<String> named = connectionNamed(headers.get("connection"));
    List<CharSequence> drop = new ArrayList<>(2); // Connection and Keep-Alive, as a rule
    // the decoder's own names, as they are: forEach would make a String of every one
    Iterator<Map.Entry<CharSequence, CharSequence>> all = headers.iteratorCharSequence();
    while (all.hasNext()) {
      CharSequence name = all.next().getKey();
      if (hopByHop(name)
          || (!named.isEmpty() && named.contains(HeaderNames.normalise(name.toString())))
          || (dropCors && HeaderNames.startsWith(name, "access-control-"))) {
        drop.add(name);
      }
    }
    for (CharSequence name : drop) {
      headers.remove(name); // every value, in any case
    }
    return headers;
  }

  private static boolean hopByHop(CharSequence name) {
    for (String hop : HOP_BY_HOP_NAMES) {
      if (HeaderNames.sameAs(name, hop)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The header names a {@code Connection} value lists, normalised ({@link HeaderNames#normalise}),
   * but {@code close} and {@code keep-alive}; empty for none.
   */
  static Set<String> connectionNamed(@Nullable String connection) {
    if (connection == null
        || connection.isEmpty()
        || connection.equalsIgnoreCase("keep-alive")
        || connection.equalsIgnoreCase("close")) {
      return Set.of();
    }
    java.util.HashSet<String> names = new java.util.HashSet<>();
    for (String token : connection.split(",")) {
      String t = token.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty() && !t.equals("close") && !t.equals("keep-alive")) {
        names.add(t.replace('_', '-'));
      }
    }
    return names;
  }
}
