package io.xecure.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.problem.ProblemCode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A JSON object request body read field by field. Every problem (wrong type, blank, too long, bad
 * format, unknown field) is collected with its field name, and {@link #check()} reports them all at
 * once as one 422. Messages never quote the value sent.
 */
final class JsonBody {
  static final int MAX_LIST = 1000;

  private final JsonObject json;
  private final List<FieldError> errors = new ArrayList<>();

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  /**
   * The request's JSON object, with any field outside {@code allowed} already reported. An empty
   * body reads as {@code {}}; other media types are 415, unparsable JSON 400.
   */
  static JsonBody read(RoutingContext ctx, Set<String> allowed) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return new JsonBody(new JsonObject());
    }
    if (!isJson(ctx.request().getHeader("content-type"))) {
      throw new RequestException(
          ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new RequestException(ProblemCode.BAD_REQUEST, "the body is not valid JSON");
    }
    if (!(value instanceof JsonObject object)) {
      throw RequestException.invalid("body", "must be a JSON object");
    }
    JsonBody read = new JsonBody(object);
    object.fieldNames().stream()
        .filter(f -> !allowed.contains(f))
        .sorted()
        .forEach(f -> read.error(f, "unknown field"));
    return read;
  }

  static boolean isJson(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }

  boolean has(String field) {
    return json.containsKey(field);
  }

  /** Present with a JSON null: for optional fields, "clear it". */
  boolean isNull(String field) {
    return json.containsKey(field) && json.getValue(field) == null;
  }

  void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** Throws the collected errors as one 422. */
  void check() {
    if (!errors.isEmpty()) {
      throw RequestException.invalid(errors);
    }
  }

  /** A required non-blank string; "" (with an error recorded) when missing or invalid. */
  String required(String field, int maxLength) {
    if (!has(field) || isNull(field)) {
      error(field, "is required");
      return "";
    }
    String value = string(field, maxLength);
    return value == null ? "" : value;
  }

  /** An optional non-blank string; null when absent, JSON null or invalid. */
  @Nullable String string(String field, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    return checked(field, s, maxLength);
  }

  /** An optional boolean; null when absent, JSON null or not a boolean. */
  @Nullable Boolean bool(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean b)) {
      error(field, "must be true or false");
      return null;
    }
    return b;
  }

  /** An optional list of non-blank tokens (no spaces or control characters). */
  @Nullable List<String> tokens(String field, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      error(field, "must be an array of strings");
      return null;
    }
    if (array.size() > MAX_LIST) {
      error(field, "must have at most " + MAX_LIST + " items");
      return null;
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String name = field + "[" + i + "]";
      Object item = array.getValue(i);
      if (!(item instanceof String s)) {
        error(name, "must be a string");
      } else if (!Tokens.valid(s, maxLength)) {
        error(name, "must be 1 to " + maxLength + " visible characters without spaces");
      } else {
        out.add(s);
      }
    }
    return out;
  }

  /** An optional ISO-8601 date-time with an offset; null when absent, JSON null or invalid. */
  @Nullable Instant instant(String field) {
    String text = string(field, 64);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      error(field, "must be an ISO-8601 date-time with offset, e.g. 2030-01-31T00:00:00Z");
      return null;
    }
  }

  /** Optional CIDRs, each IPv4 or IPv6, returned in canonical form. */
  @Nullable List<String> cidrs(String field) {
    List<String> raw = tokens(field, 64);
    if (raw == null) {
      return null;
    }
    List<String> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      String cidr = Cidrs.normalize(raw.get(i));
      if (cidr == null) {
        error(field + "[" + i + "]", "must be an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8");
      } else {
        out.add(cidr);
      }
    }
    return out;
  }

  private @Nullable String checked(String field, String value, int maxLength) {
    if (value.isBlank()) {
      error(field, "must not be blank");
      return null;
    }
    if (value.length() > maxLength) {
      error(field, "must be at most " + maxLength + " characters");
      return null;
    }
    return value;
  }
}
