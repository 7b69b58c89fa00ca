package io.xecure.service;

import io.xecure.problem.ProblemCode;

/**
 * An operation the service refuses: an unknown id (404) or a conflicting state (409). The detail is
 * fixed text and ids only, never a plaintext key, so callers may show it as is.
 */
public final class ServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemCode code;
  private final String detail;

  public ServiceException(ProblemCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
    this.detail = detail;
  }

  public static ServiceException notFound(String what, String id) {
    return new ServiceException(ProblemCode.NOT_FOUND, what + " " + id + " not found");
  }

  public static ServiceException conflict(String detail) {
    return new ServiceException(ProblemCode.CONFLICT, detail);
  }

  /** Fixed text and ids only: safe to send. */
  public String detail() {
    return detail;
  }

  public ProblemCode code() {
    return code;
  }
}
