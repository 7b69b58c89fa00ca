package io.xecure.policy.keyauth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.xecure.keys.KeyOutcome;
import io.xecure.keys.KeyVerdict;
import io.xecure.keys.KeyVerifier;
import io.xecure.net.HeaderNames;
import io.xecure.pipeline.ClientRequest;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.OutboundRequest;
import io.xecure.pipeline.Policy;
import io.xecure.pipeline.PolicyChain;
import io.xecure.problem.ProblemCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * key-auth (SPEC §5 steps 2-3): finds the key in the configured locations, refuses two different
 * keys, verifies the key against the in-memory index, and with hide_credentials removes it from
 * every place it was found, so that the upstream never sees it.
 *
 * <p><b>Exact values.</b> A value is the key only when it is exactly the key: nothing is trimmed
 * from a query, JSON, form or multipart value; from a header value only the optional whitespace
 * (SP, HTAB) that RFC 9110 puts around a field value. A non-empty value that is not exactly a key
 * (a space, a control character, a broken escape) is a presented credential, so it is verified and
 * refused as {@code key_invalid} (reason {@code malformed}), never taken as absent. An empty value
 * is no key. {@code bearer} is one {@code Authorization} value of the scheme {@code Bearer} (any
 * case), one or more spaces, and the key: anything else after the scheme is malformed.
 *
 * <p><b>Header names</b> match as {@link HeaderNames#normalise} spells them ({@code X_API_Key} is
 * {@code X-API-Key}), so every spelling is found, compared and removed.
 *
 * <p><b>The body never costs a request whose key was found elsewhere.</b> When no key was found in
 * a header, bearer or query location, the body is read (up to {@code max_body}, beyond that 413).
 * When one was, the body is read only if it declares a Content-Length within {@code max_body}, so
 * that a key field in it is still compared (a different key: ambiguous) and removed; a larger or
 * chunked body streams to the upstream unread and is never refused for its size. A body naming the
 * key field twice is ambiguous whatever the values; so are two Content-Type headers on a body that
 * is read.
 *
 * <p><b>Memory.</b> A body is read only within the {@link BodyBudget} shared by every request: its
 * declared length (or {@code max_body} for a chunked body) is taken from the budget before the read
 * and given back when the request is over. A request that would go beyond the budget is answered
 * 503 {@code overloaded} with {@code Retry-After}, its body unread.
 *
 * <p><b>Method override.</b> A {@code _method} parameter in the query, or in a form body that was
 * read, is removed before forwarding, as the method-override headers are: the method the access
 * rules judged is the request line's, and the upstream must not act on another.
 */
public final class KeyAuthPolicy implements Policy {
  public static final String ID = "key-auth";

  /** First: every later policy (access, limits) needs to know who is calling. */
  public static final int ORDER = 100;

  /** The form field Rails, Laravel and Symfony read as the request's method. */
  static final String METHOD_PARAMETER = "_method";

  private static final String BEARER = "bearer";

  /** A second: buffered bodies are held for one request's time, so the budget frees quickly. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private final KeyAuthConfig config;
  private final KeyVerifier verifier;
  private final Clock clock;
  private final BodyBudget budget;

  public KeyAuthPolicy(KeyAuthConfig config, KeyVerifier verifier, Clock clock, BodyBudget budget) {
    this.config = config;
    this.verifier = verifier;
    this.clock = clock;
    this.budget = budget;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int order() {
    return ORDER;
  }

  /**
   * Never throws: a failure while finding or verifying the key fails the returned future, which the
   * proxy answers (500), so that no request is left without an answer.
   */
  @Override
  public Future<Void> apply(Exchange exchange, PolicyChain chain) {
    try {
      return find(exchange, chain);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> find(Exchange exchange, PolicyChain chain) {
    ClientRequest request = exchange.request();
    List<FoundKey> found = new ArrayList<>(2);
    for (KeyLocation location : config.in()) {
      switch (location.kind()) {
        case HEADER -> findHeader(request.headers(), location, found);
        case BEARER -> findBearer(request.headers(), location, found);
        case QUERY -> findQuery(exchange.rawQuery(), location, found);
        case BODY -> {}
      }
    }
    boolean searchBody =
        config.readsBody()
            && request.hasBody()
            && (found.isEmpty() || declaredWithin(request, config.maxBody()));
    if (!searchBody) {
      return authenticate(exchange, chain, found, false, null);
    }
    List<String> contentTypes = request.headers().getAll("content-type");
    if (contentTypes.size() > 1 || (contentTypes.size() == 1 && twoTypes(contentTypes.get(0)))) {
      // a framing refusal (SPEC §5): the unread body must not be read as a next request
      exchange.response().putHeader("connection", "close");
      return exchange.refuse(
          ProblemCode.BAD_REQUEST,
          "The request has more than one Content-Type.",
          "two_content_types");
    }
    long reserved = reservation(request, config.maxBody());
    if (!budget.reserve(reserved)) {
      exchange.response().putHeader("retry-after", RETRY_AFTER_SECONDS);
      return exchange.refuse(
          ProblemCode.OVERLOADED,
          "The gateway holds too many request bodies at once; retry shortly.",
          "buffered_bodies");
    }
    // transform: an exception while reading the body fails the future, which the proxy answers
    return BodyReader.read(request, config.maxBody())
        .transform(
            read -> {
              if (read.failed() && read.cause() instanceof BodyReader.TooLarge) {
                return exchange.refuse(ProblemCode.BODY_TOO_LARGE, tooLarge(), "body_too_large");
              }
              if (read.failed()) {
                // the client went away or broke the framing mid-body: nothing to forward
                return exchange.refuse(
                    ProblemCode.BAD_REQUEST, "The request body could not be read.", "body");
              }
              Buffer body = read.result();
              exchange.body(body);
              BodyFields fields =
                  BodyFields.of(contentTypes.isEmpty() ? null : contentTypes.get(0), body);
              boolean twice = fields != null && findBody(fields, found);
              return authenticate(exchange, chain, found, twice, fields);
            })
        // the chain's future ends with the request: forwarded and answered, or refused
        .onComplete(done -> budget.release(reserved));
  }

  /**
   * What reading the body may take from the budget: its declared length, or {@code max} for a
   * chunked body; nothing for a declared length beyond {@code max}, which is refused unread.
   */
  private static long reservation(ClientRequest request, long max) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return max;
    }
    try {
      long declared = Long.parseLong(length.trim());
      return declared >= 0 && declared <= max ? declared : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Whether the request declares a Content-Length of at most {@code max}: a body that a key found
   * elsewhere does not need, but that is small enough to be searched, so that a key in it is
   * compared and removed too. A larger or chunked body streams on unread.
   */
  private static boolean declaredWithin(ClientRequest request, long max) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null || length.isEmpty() || length.length() > 18) {
      return false;
    }
    try {
      return Long.parseLong(length) <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A comma in the media type: two types joined into one field value. */
  private static boolean twoTypes(String contentType) {
    int semicolon = contentType.indexOf(';');
    return contentType.lastIndexOf(',', semicolon < 0 ? contentType.length() : semicolon) >= 0;
  }

  private String tooLarge() {
    return "The request body is larger than " + config.maxBody() + " bytes.";
  }

  private Future<Void> authenticate(
      Exchange exchange,
      PolicyChain chain,
      List<FoundKey> found,
      boolean bodyFieldTwice,
      @Nullable BodyFields fields) {
    if (bodyFieldTwice || !sameValue(found)) {
      return exchange.refuse(
          ProblemCode.KEY_AMBIGUOUS, "The request carries more than one API key.", "ambiguous");
    }
    if (found.isEmpty()) {
      if (config.anonymous()) {
        exchange.authenticate(null, null);
        dropMethodOverride(exchange);
        removeBodyFields(exchange, fields, List.of());
        return chain.proceed(exchange);
      }
      return exchange.refuse(
          ProblemCode.KEY_MISSING, "An API key is required for this API.", "missing");
    }
    KeyVerdict verdict = verifier.verify(found.get(0).value(), clock.millis());
    exchange.keyOutcome(verdict.outcome());
    exchange.authenticate(verdict.key(), verdict.developer());
    if (verdict.outcome() == KeyOutcome.UNVERIFIABLE) {
      return exchange.refuse(
          ProblemCode.STORE_UNAVAILABLE,
          "The key store cannot be reached to check this key; try again shortly.",
          verdict.outcome().reason());
    }
    if (verdict.outcome() == KeyOutcome.DEVELOPER_SUSPENDED) {
      return exchange.refuse(
          ProblemCode.DEVELOPER_SUSPENDED,
          "The developer account of this key is suspended.",
          verdict.outcome().reason());
    }
    if (!verdict.valid()) {
      return exchange.refuse(
          ProblemCode.KEY_INVALID, "The API key is not valid.", verdict.outcome().reason());
    }
    List<FoundKey> hidden = config.hideCredentials() ? found : List.of();
    hide(exchange, hidden);
    dropMethodOverride(exchange);
    removeBodyFields(exchange, fields, hidden);
    return chain.proceed(exchange);
  }

  private static boolean sameValue(List<FoundKey> found) {
    for (int i = 1; i < found.size(); i++) {
      if (!found.get(i).value().equals(found.get(0).value())) {
        return false;
      }
    }
    return true;
  }

  /** Every header spelled as {@code location} names it, without the optional whitespace. */
  private static void findHeader(MultiMap headers, KeyLocation location, List<FoundKey> found) {
    String name = HeaderNames.normalise(location.name());
    // forEach, not the iterator: Vert.x's iterator wraps every header in an entry of its own
    headers.forEach(
        (key, raw) -> {
          if (HeaderNames.sameAs(key, name)) {
            String value = withoutOws(raw);
            if (!value.isEmpty()) {
              found.add(new FoundKey(location, value));
            }
          }
        });
  }

  private static void findBearer(MultiMap headers, KeyLocation location, List<FoundKey> found) {
    for (String v : headers.getAll("authorization")) {
      String credentials = bearer(withoutOws(v));
      if (credentials != null && !credentials.isEmpty()) {
        found.add(new FoundKey(location, credentials));
      }
    }
  }

  /**
   * What follows the Bearer scheme and its spaces, as is; null when the value is of another scheme.
   * Any other separator than spaces stays in the result, which then is not a key.
   */
  static @Nullable String bearer(String value) {
    if (!value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    int i = BEARER.length();
    if (i < value.length() && isTokenChar(value.charAt(i))) {
      return null; // a longer scheme name, e.g. "Bearerish"
    }
    while (i < value.length() && value.charAt(i) == ' ') {
      i++;
    }
    return value.substring(i);
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static void findQuery(
      @Nullable String query, KeyLocation location, List<FoundKey> found) {
    if (query != null) {
      List<String> values = new ArrayList<>(1);
      QueryString.values(query, location.name(), values);
      for (String v : values) {
        if (!v.isEmpty()) {
          found.add(new FoundKey(location, v));
        }
      }
    }
  }

  /** Adds the body keys; true when a body names one key field more than once. */
  private boolean findBody(BodyFields fields, List<FoundKey> found) {
    boolean twice = false;
    for (KeyLocation location : config.in()) {
      if (location.kind() == KeyLocation.Kind.BODY) {
        List<String> values = fields.values(location.name());
        twice |= values.size() > 1;
        for (String v : values) {
          if (!v.isEmpty()) {
            found.add(new FoundKey(location, v));
          }
        }
      }
    }
    return twice;
  }

  /** RFC 9110 §5.5: SP and HTAB around a field value are not part of it; nothing else is. */
  static String withoutOws(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && isOws(value.charAt(start))) {
      start++;
    }
    while (end > start && isOws(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(start, end);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * Removes the keys {@code hidden} found in headers and the query; see {@link #removeBodyFields}.
   */
  private static void hide(Exchange exchange, List<FoundKey> hidden) {
    OutboundRequest outbound = exchange.outbound();
    for (FoundKey f : hidden) {
      KeyLocation location = f.location();
      switch (location.kind()) {
        case HEADER -> outbound.removeHeader(location.name());
        case BEARER -> outbound.removeHeaderIf("authorization", v -> bearer(withoutOws(v)) != null);
        case QUERY -> {
          String query = outbound.query();
          if (query != null) {
            outbound.query(QueryString.without(query, location.name()));
          }
        }
        case BODY -> {
          // with the method override, in removeBodyFields: one cut of the one parse
        }
      }
    }
  }

  /**
   * Removes {@code _method} from the query to forward; a form body's, in {@link #removeBodyFields}.
   * A body that streams unread cannot be changed here: see the class comment.
   */
  private static void dropMethodOverride(Exchange exchange) {
    OutboundRequest outbound = exchange.outbound();
    String query = outbound.query();
    if (query != null) {
      List<String> methods = new ArrayList<>(1);
      QueryString.values(query, METHOD_PARAMETER, methods);
      if (!methods.isEmpty()) {
        outbound.query(QueryString.without(query, METHOD_PARAMETER));
      }
    }
  }

  /**
   * Cuts from a body that was read, in one pass over the fields parsed to find its key, the key
   * fields among {@code hidden} and a form's {@code _method}.
   */
  private static void removeBodyFields(
      Exchange exchange, @Nullable BodyFields fields, List<FoundKey> hidden) {
    OutboundRequest outbound = exchange.outbound();
    if (fields == null || outbound.body() == null) {
      return;
    }
    List<String> names = new ArrayList<>(2);
    for (FoundKey f : hidden) {
      if (f.location().kind() == KeyLocation.Kind.BODY) {
        names.add(f.location().name());
      }
    }
    if (fields.form() && !fields.values(METHOD_PARAMETER).isEmpty()) {
      names.add(METHOD_PARAMETER);
    }
    if (!names.isEmpty()) {
      outbound.body(fields.without(names));
    }
  }
}
