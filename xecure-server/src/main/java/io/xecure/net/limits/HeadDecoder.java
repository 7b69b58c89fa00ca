package io.xecure.net.limits;

import io.netty.handler.codec.http.DefaultHttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * A request decoder that shows the head it is decoding, so that a head cut off by its deadline is
 * answered and recorded with the method and target it had sent, when it had sent them.
 */
public interface HeadDecoder {
  /** The head being decoded, once its request line is read; null between heads. */
  @Nullable DefaultHttpRequest partialHead();
}
