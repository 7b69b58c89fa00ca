package io.xecure.problem;

/**
 * Every refusal the gateway and the admin API can answer, with its HTTP status and title. The one
 * table of SPEC §5; {@link ProblemJson} turns a code into the problem+json body.
 */
public enum ProblemCode {
  KEY_MISSING(401, "No API key"),
  KEY_INVALID(401, "Invalid API key"),
  DEVELOPER_SUSPENDED(403, "Developer suspended"),
  INSUFFICIENT_SCOPE(403, "Insufficient scope"),
  IP_NOT_ALLOWED(403, "Client IP not allowed"),
  CORS_REJECTED(403, "CORS request not allowed"),
  RATE_LIMITED(429, "Rate limit exceeded"),
  QUOTA_EXCEEDED(429, "Quota exceeded"),
  TOO_MANY_FAILURES(429, "Too many failed attempts"),
  KEY_AMBIGUOUS(400, "More than one API key"),
  STORE_UNAVAILABLE(503, "Store unavailable"),
  PATH_INVALID(400, "Invalid path"),
  BAD_REQUEST(400, "Bad request"),
  URI_TOO_LONG(414, "URI too long"),
  HEADER_TOO_LARGE(431, "Request header fields too large"),
  /** The head did not arrive within header_timeout, or the body stalled (SPEC §9). */
  REQUEST_TIMEOUT(408, "Request timeout"),
  /** The total budget for buffered bodies is spent (SPEC §9); sent with Retry-After. */
  OVERLOADED(503, "Gateway overloaded"),
  ROUTE_NOT_FOUND(404, "No route"),
  BODY_TOO_LARGE(413, "Body too large"),
  UPSTREAM_UNAVAILABLE(502, "Upstream unavailable"),
  UPSTREAM_TIMEOUT(504, "Upstream timeout"),
  // admin API
  UNAUTHORIZED(401, "Unauthorized"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  CONFLICT(409, "Conflict"),
  VALIDATION_FAILED(422, "Validation failed"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  INTERNAL_ERROR(500, "Internal error");

  private final int status;
  private final String title;
  private final String code;

  ProblemCode(int status, String title) {
    this.status = status;
    this.title = title;
    this.code = name().toLowerCase(java.util.Locale.ROOT);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The stable machine-readable code, e.g. {@code key_invalid}. */
  public String code() {
    return code;
  }

  /** The problem {@code type} URI. */
  public String type() {
    return "https://xecure.dev/problems/" + code.replace('_', '-');
  }
}
