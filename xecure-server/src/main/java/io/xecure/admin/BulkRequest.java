package io.xecure.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import io.xecure.policy.ratelimit.PlanConfig;
import io.xecure.problem.ProblemCode;
import io.xecure.service.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a bulk import: the plaintexts from the body ({@code text/plain}, one a line, or a JSON
 * array of strings) and the rights every imported key gets from the query ({@code name}, {@code
 * apis} and {@code scopes} comma-separated, {@code plan}). Errors name lines and parameters, never
 * a value.
 */
final class BulkRequest {
  static final String DEFAULT_NAME = "imported";

  private BulkRequest() {}

  static KeySpec rights(RoutingContext ctx, Map<String, PlanConfig> plans) {
    List<FieldError> errors = new ArrayList<>();
    String name = Query.param(ctx, "name");
    if (name != null && (name.isBlank() || name.length() > KeyRoutes.MAX_NAME)) {
      errors.add(new FieldError("name", "must be 1 to " + KeyRoutes.MAX_NAME + " characters"));
    }
    List<String> apis = tokens(ctx, "apis", KeyRoutes.MAX_API, errors);
    List<String> scopes = tokens(ctx, "scopes", KeyRoutes.MAX_SCOPE, errors);
    String plan = Query.param(ctx, "plan");
    if (plan != null && !plans.containsKey(plan)) {
      errors.add(new FieldError("plan", "unknown plan"));
    }
    if (!errors.isEmpty()) {
      throw RequestException.invalid(errors);
    }
    return new KeySpec(
        name == null ? DEFAULT_NAME : name,
        apis == null ? List.of("*") : apis,
        scopes == null ? List.of() : scopes,
        List.of(),
        null,
        plan);
  }

  /** The entries, in order; line N of the file is entry N-1. Call on a worker. */
  static List<String> lines(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return List.of();
    }
    String type = ctx.request().getHeader("content-type");
    if (JsonBody.isJson(type)) {
      return jsonLines(body);
    }
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
      return body.toString(StandardCharsets.UTF_8).lines().toList();
    }
    throw new RequestException(
        ProblemCode.UNSUPPORTED_MEDIA_TYPE,
        "send text/plain (one key per line) or application/json (an array of strings)");
  }

  private static List<String> jsonLines(Buffer body) {
    JsonArray array;
    try {
      array = new JsonArray(body);
    } catch (DecodeException | ClassCastException e) {
      throw new RequestException(ProblemCode.BAD_REQUEST, "the body is not a JSON array");
    }
    List<String> lines = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s)) {
        throw RequestException.invalid("[" + i + "]", "must be a string");
      }
      lines.add(s);
    }
    return lines;
  }

  private static @Nullable List<String> tokens(
      RoutingContext ctx, String param, int maxLength, List<FieldError> errors) {
    String text = Query.param(ctx, param);
    if (text == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String token : text.split(",")) {
      String t = token.trim();
      if (!t.isEmpty() && !Tokens.valid(t, maxLength)) {
        errors.add(new FieldError(param, "must be comma-separated names without spaces"));
        return null;
      }
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }
}
