package io.xecure.net.limits;

/**
 * Why a request head failed to decode when it did not arrive within {@code header_timeout}: the
 * cause of the failed request the invalid-request handler receives, to answer 408.
 */
public final class RequestTimeout extends RuntimeException {
  public RequestTimeout() {
    super("the request head did not arrive in time", null, false, false);
  }
}
