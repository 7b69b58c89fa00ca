package io.xecure.app;

/** Start-up failed for a reason the operator can act on; the message is one clear line. */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupException(String message) {
    super(message);
  }
}
