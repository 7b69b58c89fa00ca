package io.xecure.portal;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.problem.ProblemCode;
import io.xecure.service.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A portal request's JSON body, read field by field: an unknown field, a wrong type or an over-long
 * value is collected, and {@link #check()} refuses them all at once (422), naming each field.
 */
final class JsonInput {
  private final JsonObject json;
  private final List<String> errors = new ArrayList<>();

  private JsonInput(JsonObject json) {
    this.json = json;
  }

  /** The body as a JSON object with only {@code fields}; an empty body reads as {@code {}}. */
  static JsonInput read(RoutingContext ctx, Set<String> fields) {
    String type = ctx.request().getHeader("content-type");
    var body = ctx.body();
    if (body == null || body.length() == 0) {
      return new JsonInput(new JsonObject());
    }
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new ServiceException(
          ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    JsonObject json;
    try {
      json = body.asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new ServiceException(ProblemCode.BAD_REQUEST, "the body is not a JSON object");
    }
    JsonInput input = new JsonInput(json == null ? new JsonObject() : json);
    for (String name : input.json.fieldNames()) {
      if (!fields.contains(name)) {
        input.errors.add(name + ": unknown field");
      }
    }
    return input;
  }

  @Nullable String string(String field, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      errors.add(field + ": must be a string");
      return null;
    }
    if (s.length() > max) {
      errors.add(field + ": at most " + max + " characters");
      return null;
    }
    return s;
  }

  String required(String field, int max) {
    String value = string(field, max);
    if (value == null || value.isBlank()) {
      if (value != null || !json.containsKey(field)) {
        errors.add(field + ": required");
      }
      return "";
    }
    return value;
  }

  /** A list of strings; null when absent. */
  @Nullable List<String> strings(String field, int maxItems, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > maxItems) {
      errors.add(field + ": must be a list of at most " + maxItems + " strings");
      return null;
    }
    List<String> items = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s) || s.isEmpty() || s.length() > maxLength) {
        errors.add(field + ": each item must be a string of 1 to " + maxLength + " characters");
        return null;
      }
      items.add(s);
    }
    return items;
  }

  void error(String field, String message) {
    errors.add(field + ": " + message);
  }

  /** Refuses the request when any field was wrong. */
  void check() {
    if (!errors.isEmpty()) {
      throw new ServiceException(ProblemCode.VALIDATION_FAILED, String.join("; ", errors));
    }
  }

  /** Refuses (422) the first of {@code asked} that is not in {@code allowed}. */
  static void check(List<String> asked, List<String> allowed, String field, String message) {
    for (String item : asked) {
      if (!allowed.contains(item)) {
        throw new ServiceException(
            ProblemCode.VALIDATION_FAILED, field + ": " + item + " is " + message);
      }
    }
  }
}
