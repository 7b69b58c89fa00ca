package io.xecure.problem;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * The one place that turns a {@link ProblemCode} into an RFC 9457 response, shared by the proxy and
 * the admin API. Details never hold a presented key or a stack trace: callers pass fixed text.
 */
public final class ProblemJson {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String WWW_AUTHENTICATE = "ApiKey realm=\"xecure\"";

  private ProblemJson() {}

  public static Buffer body(ProblemCode code, String detail, String requestId) {
    return body(code, detail, requestId, null);
  }

  /** The body; {@code extra} members (e.g. {@code errors} for validation) are added last. */
  public static Buffer body(
      ProblemCode code, String detail, String requestId, @Nullable JsonObject extra) {
    JsonObject json =
        new JsonObject()
            .put("type", code.type())
            .put("title", code.title())
            .put("status", code.status())
            .put("detail", detail)
            .put("code", code.code())
            .put("request_id", requestId);
    if (extra != null) {
      json.mergeIn(extra);
    }
    return json.toBuffer();
  }

  /** Ends {@code response} with the problem, unless it was already sent. */
  public static void send(
      HttpServerResponse response, ProblemCode code, String detail, String requestId) {
    send(response, code, detail, requestId, null);
  }

  public static void send(
      HttpServerResponse response,
      ProblemCode code,
      String detail,
      String requestId,
      @Nullable JsonObject extra) {
    if (response.ended() || response.headWritten()) {
      if (!response.ended()) {
        response.reset();
      }
      return;
    }
    response.setStatusCode(code.status());
    MultiMap headers = response.headers();
    headers.set("content-type", CONTENT_TYPE);
    headers.set("cache-control", "no-store");
    headers.set("x-request-id", requestId);
    if (code.status() == 401) {
      headers.set("www-authenticate", WWW_AUTHENTICATE);
    }
    response.end(body(code, detail, requestId, extra));
  }
}
