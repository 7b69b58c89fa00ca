package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xecure.problem.ProblemCode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A request the admin API cannot take as sent: unreadable (400), of the wrong media type (415) or
 * invalid (422, with one {@link FieldError} per problem). Details never quote request values.
 */
final class RequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemCode code;
  private final String detail;
  private final List<FieldError> errors;

  RequestException(ProblemCode code, String detail) {
    this(code, detail, List.of());
  }

  private RequestException(ProblemCode code, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.code = code;
    this.detail = detail;
    this.errors = List.copyOf(errors);
  }

  static RequestException invalid(List<FieldError> errors) {
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " fields are invalid";
    return new RequestException(ProblemCode.VALIDATION_FAILED, detail, errors);
  }

  static RequestException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  /** Fixed text and ids only: safe to send. */
  String detail() {
    return detail;
  }

  ProblemCode code() {
    return code;
  }

  /** The {@code errors} member of the problem, or null when there are none. */
  @Nullable JsonObject extra() {
    if (errors.isEmpty()) {
      return null;
    }
    JsonArray list = new JsonArray();
    errors.forEach(e -> list.add(e.toJson()));
    return new JsonObject().put("errors", list);
  }
}
