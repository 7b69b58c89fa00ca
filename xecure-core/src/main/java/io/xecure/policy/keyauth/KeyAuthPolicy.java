package io.xecure.policy.keyauth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.xecure.config.KeyAuthConfig;
import io.xecure.config.KeyLocation;
import io.xecure.keys.KeyOutcome;
import io.xecure.keys.KeyVerdict;
import io.xecure.keys.KeyVerifier;
import io.xecure.pipeline.Exchange;
import io.xecure.pipeline.Policy;
import io.xecure.pipeline.PolicyChain;
import io.xecure.problem.ProblemCode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * key-auth (SPEC §5 steps 2-3): finds the key in the configured locations, refuses two different
 * keys, verifies the key against the in-memory index, and with hide_credentials removes it from
 * every place it was found, so that the upstream never sees it.
 */
public final class KeyAuthPolicy implements Policy {
  public static final String ID = "key-auth";

  /** First: every later policy (access, limits) needs to know who is calling. */
  public static final int ORDER = 100;

  private static final String BEARER = "bearer ";

  private final KeyAuthConfig config;
  private final KeyVerifier verifier;
  private final Clock clock;

  public KeyAuthPolicy(KeyAuthConfig config, KeyVerifier verifier, Clock clock) {
    this.config = config;
    this.verifier = verifier;
    this.clock = clock;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int order() {
    return ORDER;
  }

  @Override
  public Future<Void> apply(Exchange exchange, PolicyChain chain) {
    if (config.readsBody() && BodyReader.hasBody(exchange.request())) {
      Promise<Void> done = Promise.promise();
      BodyReader.read(exchange.request(), config.maxBody())
          .onComplete(
              read -> {
                if (read.failed() && read.cause() instanceof BodyReader.TooLarge) {
                  exchange
                      .refuse(ProblemCode.BODY_TOO_LARGE, tooLarge(), "body_too_large")
                      .onComplete(done);
                } else if (read.failed()) {
                  // the client went away or broke the framing mid-body: nothing to forward
                  exchange
                      .refuse(
                          ProblemCode.BAD_REQUEST, "The request body could not be read.", "body")
                      .onComplete(done);
                } else {
                  exchange.body(read.result());
                  authenticate(exchange, chain).onComplete(done);
                }
              });
      return done.future();
    }
    return authenticate(exchange, chain);
  }

  private String tooLarge() {
    return "The request body is larger than " + config.maxBody() + " bytes.";
  }

  private Future<Void> authenticate(Exchange exchange, PolicyChain chain) {
    HttpServerRequest request = exchange.request();
    Buffer body = exchange.body();
    BodyFields fields =
        body == null ? null : BodyFields.of(request.getHeader("content-type"), body);
    List<FoundKey> found = find(exchange, fields);
    if (found.isEmpty()) {
      if (config.anonymous()) {
        exchange.authenticate(null, null);
        return chain.proceed(exchange);
      }
      return exchange.refuse(
          ProblemCode.KEY_MISSING, "An API key is required for this API.", "missing");
    }
    String key = found.get(0).value();
    for (int i = 1; i < found.size(); i++) {
      if (!found.get(i).value().equals(key)) {
        return exchange.refuse(
            ProblemCode.KEY_AMBIGUOUS, "The request carries more than one API key.", "ambiguous");
      }
    }
    KeyVerdict verdict = verifier.verify(key, clock.millis());
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
    if (config.hideCredentials()) {
      hide(exchange, found, fields);
    }
    return chain.proceed(exchange);
  }

  private List<FoundKey> find(Exchange exchange, @Nullable BodyFields fields) {
    MultiMap headers = exchange.request().headers();
    List<FoundKey> found = new ArrayList<>(2);
    for (KeyLocation location : config.in()) {
      switch (location.kind()) {
        case HEADER -> {
          for (String v : headers.getAll(location.name())) {
            addTrimmed(found, location, v);
          }
        }
        case BEARER -> {
          for (String v : headers.getAll("authorization")) {
            if (v.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
              addTrimmed(found, location, v.substring(BEARER.length()));
            }
          }
        }
        case QUERY -> {
          String query = exchange.rawQuery();
          if (query != null) {
            List<String> values = new ArrayList<>(1);
            QueryString.values(query, location.name(), values);
            values.forEach(v -> addTrimmed(found, location, v));
          }
        }
        case BODY -> {
          if (fields != null) {
            fields.values(location.name()).forEach(v -> addTrimmed(found, location, v));
          }
        }
      }
    }
    return found;
  }

  private static void addTrimmed(List<FoundKey> found, KeyLocation location, String value) {
    String v = value.trim();
    if (!v.isEmpty()) {
      found.add(new FoundKey(location, v));
    }
  }

  private static void hide(Exchange exchange, List<FoundKey> found, @Nullable BodyFields fields) {
    MultiMap headers = exchange.request().headers();
    for (FoundKey f : found) {
      KeyLocation location = f.location();
      switch (location.kind()) {
        case HEADER -> headers.remove(location.name());
        case BEARER -> removeBearer(headers);
        case QUERY -> {
          String query = exchange.forwardQuery();
          if (query != null) {
            exchange.forwardQuery(QueryString.without(query, location.name()));
          }
        }
        case BODY -> {
          if (fields != null) {
            exchange.body(fields.without(location.name()));
          }
        }
      }
    }
  }

  private static void removeBearer(MultiMap headers) {
    List<String> kept = new ArrayList<>();
    for (String v : headers.getAll("authorization")) {
      if (!v.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
        kept.add(v);
      }
    }
    headers.remove("authorization");
    kept.forEach(v -> headers.add("authorization", v));
  }
}
