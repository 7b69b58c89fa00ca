package io.xecure.pem;

/**
 * A PEM file that cannot serve: missing, unreadable, not PEM, or a key that does not match its
 * certificate. The message names the problem, never the file's content.
 */
public final class PemException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which file of a pair is at fault. */
  public enum Part {
    CERT,
    KEY
  }

  private final Part part;

  public PemException(Part part, String message) {
    super(message, null, false, false);
    this.part = part;
  }

  public Part part() {
    return part;
  }
}
