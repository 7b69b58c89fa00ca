package io.xecure.net.limits;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.xecure.problem.ProblemCode;
import io.xecure.problem.ProblemJson;
import io.xecure.service.Ids;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The answers to requests a listener refuses before any route sees them: a head too large (431), a
 * target too long (414), a head or body too slow (408), a head that does not parse (400). Always
 * problem+json, always with {@code Connection: close}, and the connection closed after it.
 */
public final class InvalidRequests {
  /** A refusal's code and public detail. */
  public record Refusal(ProblemCode code, String detail) {}

  public static final Refusal URI_TOO_LONG =
      new Refusal(ProblemCode.URI_TOO_LONG, "The request line is too long.");
  public static final Refusal HEADER_TOO_LARGE =
      new Refusal(ProblemCode.HEADER_TOO_LARGE, "The request header fields are too large.");
  public static final Refusal HEAD_TIMEOUT =
      new Refusal(ProblemCode.REQUEST_TIMEOUT, "The request head did not arrive in time.");
  public static final Refusal BODY_STALLED =
      new Refusal(ProblemCode.REQUEST_TIMEOUT, "The request body stopped arriving.");
  public static final Refusal MALFORMED =
      new Refusal(ProblemCode.BAD_REQUEST, "The request is malformed.");

  private InvalidRequests() {}

  /** The refusal of a head that failed to decode with {@code cause}; null: not one of ours. */
  public static @Nullable Refusal of(@Nullable Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return HEADER_TOO_LARGE;
    }
    if (cause instanceof RequestTimeout) {
      return HEAD_TIMEOUT;
    }
    return null;
  }

  /** An invalid-request handler: answers the head's refusal and closes. */
  public static void answer(HttpServerRequest request) {
    Refusal refusal = of(request.decoderResult().cause());
    answer(request, refusal == null ? MALFORMED : refusal);
  }

  /** Answers {@code refusal}, unless a response has begun, and closes the connection. */
  public static void answer(HttpServerRequest request, Refusal refusal) {
    HttpServerResponse response = request.response();
    closeAfter(response);
    ProblemJson.send(response, refusal.code(), refusal.detail(), Ids.request(Clock.systemUTC()));
    request.connection().close();
  }

  /** Marks {@code response} as the connection's last, after Vert.x's own Connection header. */
  public static void closeAfter(HttpServerResponse response) {
    response.headersEndHandler(v -> response.putHeader("connection", "close"));
  }
}
