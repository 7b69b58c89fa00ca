package io.xecure.problem;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.xecure.pipeline.ClientResponse;
import io.xecure.pipeline.VertxClientResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The one place that turns a {@link ProblemCode} into an RFC 9457 response, shared by the proxy and
 * the admin API. Details never hold a presented key or a stack trace: callers pass fixed text.
 */
public final class ProblemJson {
  public static final String CONTENT_TYPE = "application/problem+json";
  // the headers as bytes: Netty's encoder copies an AsciiString whole, a String char by char
  private static final AsciiString CONTENT_TYPE_NAME = AsciiString.cached("content-type");
  private static final AsciiString PROBLEM_JSON = AsciiString.cached(CONTENT_TYPE);
  private static final AsciiString CACHE_CONTROL = AsciiString.cached("cache-control");
  private static final AsciiString NO_STORE = AsciiString.cached("no-store");
  private static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
  private static final AsciiString WWW_AUTHENTICATE_NAME = AsciiString.cached("www-authenticate");
  private static final AsciiString WWW_AUTHENTICATE = AsciiString.cached("ApiKey realm=\"xecure\"");

  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
  private static final byte[] TAIL = {'"', '}'};
  private static final AtomicReferenceArray<Head> HEADS =
      new AtomicReferenceArray<>(ProblemCode.values().length);

  private ProblemJson() {}

  public static Buffer body(ProblemCode code, String detail, String requestId) {
    return body(code, detail, requestId, null);
  }

  /** The body; {@code extra} members (e.g. {@code errors} for validation) are added last. */
  public static Buffer body(
      ProblemCode code, String detail, String requestId, @Nullable JsonObject extra) {
    if (extra == null) {
      return BufferInternal.buffer(encode(Unpooled.buffer(), code, detail, requestId));
    }
    return members(code, detail).put("request_id", requestId).mergeIn(extra).toBuffer();
  }

  /**
   * Writes the body without extra members into {@code out}, and returns it. The refusals a flood
   * repeats (a wrong key, over a limit) have the same members up to the request id: encoded once
   * per code and detail instead of a JsonObject per response, and a request id that needs no
   * escaping (the gateway's own always) copied as it is.
   */
  private static ByteBuf encode(ByteBuf out, ProblemCode code, String detail, String requestId) {
    out.writeBytes(head(code, detail));
    if (plain(requestId)) {
      out.writeCharSequence(requestId, StandardCharsets.US_ASCII);
    } else {
      out.writeBytes(ESCAPE.quoteAsUTF8(requestId));
    }
    return out.writeBytes(TAIL);
  }

  /** Printable ASCII but the quote and the backslash: JSON's string syntax takes it as it is. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code {"type":...,"detail":...,"code":...,"request_id":"} as {@link JsonObject} would encode
   * them, kept per code for its last detail (callers pass fixed text, so that is almost always the
   * one asked for).
   */
  private static byte[] head(ProblemCode code, String detail) {
    Head h = HEADS.get(code.ordinal());
    if (h == null || !h.detail().equals(detail)) {
      String members = members(code, detail).encode();
      // members ends with '}': reopen it for the request id
      byte[] bytes =
          (members.substring(0, members.length() - 1) + ",\"request_id\":\"")
              .getBytes(StandardCharsets.UTF_8);
      h = new Head(detail, bytes);
      HEADS.set(code.ordinal(), h);
    }
    return h.bytes();
  }

  /** Every member but the request id, in the order of the body. */
  private static JsonObject members(ProblemCode code, String detail) {
    return new JsonObject()
        .put("type", code.type())
        .put("title", code.title())
        .put("status", code.status())
        .put("detail", detail)
        .put("code", code.code());
  }

  private record Head(String detail, byte[] bytes) {}

  /** Ends {@code response} with the problem, unless it was already sent. */
  public static void send(
      ClientResponse response, ProblemCode code, String detail, String requestId) {
    send(response, code, detail, requestId, null);
  }

  /** As {@link #send(ClientResponse, ProblemCode, String, String)}, on Vert.x's server. */
  public static void send(
      HttpServerResponse response, ProblemCode code, String detail, String requestId) {
    send(new VertxClientResponse(response), code, detail, requestId, null);
  }

  public static void send(
      HttpServerResponse response,
      ProblemCode code,
      String detail,
      String requestId,
      @Nullable JsonObject extra) {
    send(new VertxClientResponse(response), code, detail, requestId, extra);
  }

  public static void send(
      ClientResponse response,
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
    headers.set(CONTENT_TYPE_NAME, PROBLEM_JSON);
    headers.set(CACHE_CONTROL, NO_STORE);
    headers.set(REQUEST_ID, requestId);
    if (code.status() == 401) {
      headers.set(WWW_AUTHENTICATE_NAME, WWW_AUTHENTICATE);
    }
    if (extra == null) {
      // in a pooled direct buffer the response takes over (relay): a server writing Netty's
      // buffers sends it as it is, without a heap copy of it made first and copied again
      ByteBuf body = ByteBufAllocator.DEFAULT.directBuffer(256);
      try {
        encode(body, code, detail, requestId);
      } catch (RuntimeException e) {
        body.release();
        throw e;
      }
      response.relay(body, true);
    } else {
      response.end(body(code, detail, requestId, extra));
    }
  }
}
