package io.xecure.admin;

import io.vertx.core.json.JsonObject;

/** One invalid field of a request: its JSON path (e.g. {@code allowed_cidrs[1]}) and why. */
public record FieldError(String field, String message) {
  JsonObject toJson() {
    return new JsonObject().put("field", field).put("message", message);
  }
}
