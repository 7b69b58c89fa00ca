package io.xecure.store;

/** The store could not be reached or failed; the caller answers 503, never a guess. */
public class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
