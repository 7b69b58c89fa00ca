package io.xecure.admin;

import io.vertx.ext.web.RoutingContext;
import io.xecure.model.KeyStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Query parameters shared by the list endpoints, validated with the parameter's name. */
final class Query {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_]{1,64}");

  /** Times a filter may name: what every store holds (PostgreSQL's timestamps end in 294276). */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private Query() {}

  /** Whether {@code time} is one a list may be filtered by: from year 1 to year 9999. */
  static boolean storable(Instant time) {
    return !time.isBefore(EARLIEST) && !time.isAfter(LATEST);
  }

  static @Nullable String param(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    return values.isEmpty() ? null : values.get(0);
  }

  static int limit(RoutingContext ctx) {
    String text = param(ctx, "limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RequestException.invalid("limit", "must be an integer from 1 to " + MAX_LIMIT);
  }

  /** The {@code next_cursor} of a previous page: an id, since lists are ordered by id. */
  static @Nullable String cursor(RoutingContext ctx) {
    String cursor = param(ctx, "cursor");
    if (cursor != null && !CURSOR.matcher(cursor).matches()) {
      throw RequestException.invalid("cursor", "must be the next_cursor of a previous page");
    }
    return cursor;
  }

  static @Nullable KeyStatus keyStatus(RoutingContext ctx) {
    String status = param(ctx, "status");
    if (status == null) {
      return null;
    }
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "active" -> KeyStatus.ACTIVE;
      case "revoked" -> KeyStatus.REVOKED;
      case "expired" -> KeyStatus.EXPIRED;
      default -> throw RequestException.invalid("status", "must be active, revoked or expired");
    };
  }
}
