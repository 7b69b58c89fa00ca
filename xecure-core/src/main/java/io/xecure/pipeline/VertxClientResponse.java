package io.xecure.pipeline;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A {@link ClientResponse} over a response of Vert.x's HTTP server: the problem answers of the
 * admin API, the portal and the admin listener's refusals.
 */
public final class VertxClientResponse implements ClientResponse {
  private final HttpServerResponse response;

  public VertxClientResponse(HttpServerResponse response) {
    this.response = response;
  }

  /** The Vert.x response underneath. */
  public HttpServerResponse vertx() {
    return response;
  }

  @Override
  public int getStatusCode() {
    return response.getStatusCode();
  }

  @Override
  public ClientResponse setStatusCode(int code) {
    response.setStatusCode(code);
    return this;
  }

  @Override
  public ClientResponse setStatusMessage(String message) {
    response.setStatusMessage(message);
    return this;
  }

  @Override
  public MultiMap headers() {
    return response.headers();
  }

  @Override
  public ClientResponse setChunked(boolean chunked) {
    response.setChunked(chunked);
    return this;
  }

  @Override
  public boolean headWritten() {
    return response.headWritten();
  }

  @Override
  public boolean ended() {
    return response.ended();
  }

  @Override
  public boolean closed() {
    return response.closed();
  }

  @Override
  public void write(Buffer chunk) {
    response.write(chunk);
  }

  @Override
  public void end() {
    response.end();
  }

  @Override
  public void end(Buffer body) {
    response.end(body);
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public ClientResponse drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
    return this;
  }

  @Override
  public ClientResponse closeHandler(Handler<Void> handler) {
    response.closeHandler(handler);
    return this;
  }

  @Override
  public ClientResponse endHandler(Handler<Void> handler) {
    response.endHandler(handler);
    return this;
  }

  @Override
  public void writeContinue() {
    response.writeContinue();
  }

  @Override
  public void reset() {
    response.reset();
  }
}
