package io.xecure.policy.keyauth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.xecure.pipeline.ClientRequest;

/**
 * Reads a request body into memory up to a limit, for finding a body key. Over the limit (by
 * Content-Length up front, or while reading a chunked body) the read fails with {@link TooLarge}
 * and the rest of the body is not buffered.
 */
final class BodyReader {
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("body too large", null, false, false);
    }
  }

  private BodyReader() {}

  static Future<Buffer> read(ClientRequest request, long max) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > max) {
          return Future.failedFuture(new TooLarge());
        }
      } catch (NumberFormatException e) {
        return Future.failedFuture(new TooLarge());
      }
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > max) {
            request.handler(null);
            promise.tryFail(new TooLarge());
          } else {
            body.appendBuffer(chunk);
          }
        });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    request.resume();
    return promise.future();
  }
}
