package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.events.RequestEvent;
import io.xecure.service.EventService;
import io.xecure.store.AdminEvent;
import io.xecure.store.EventFilter;
import io.xecure.store.StoredEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /admin/events}: audit events newest first, request decisions and admin changes in one
 * list, filtered and paged. {@code type=request|admin} narrows it to one kind; a filter on a field
 * of one kind ({@code outcome}, {@code code}, {@code developer}, {@code key}, {@code api} for
 * requests; {@code actor}, {@code action}, {@code target} for admin changes) lists only that kind.
 * {@code from} (inclusive) and {@code to} (exclusive) are ISO-8601 times or UTC dates.
 */
final class EventRoutes {
  private static final Pattern CODE = Pattern.compile("[a-z0-9_]{1,64}");
  private static final int MAX_VALUE = 256;
  private static final List<String> REQUEST_FIELDS =
      List.of("outcome", "code", "developer", "key", "api");
  private static final List<String> ADMIN_FIELDS = List.of("actor", "action", "target");

  private final EventService events;

  EventRoutes(EventService events) {
    this.events = events;
  }

  void register(Routes routes) {
    routes.get("/admin/events", this::list);
  }

  private void list(RoutingContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    EventService.Kind kind = kind(ctx, errors);
    EventFilter filter =
        new EventFilter(
            outcome(ctx, errors),
            code(ctx, errors),
            text(ctx, "developer", errors),
            text(ctx, "key", errors),
            text(ctx, "api", errors),
            text(ctx, "actor", errors),
            text(ctx, "action", errors),
            text(ctx, "target", errors),
            time(ctx, "from", errors),
            time(ctx, "to", errors));
    Instant from = filter.from();
    Instant to = filter.to();
    if (from != null && to != null && !to.isAfter(from)) {
      errors.add(new FieldError("to", "must be after from"));
    }
    onlyFor(ctx, kind, EventService.Kind.ADMIN, REQUEST_FIELDS, "request", errors);
    onlyFor(ctx, kind, EventService.Kind.REQUEST, ADMIN_FIELDS, "admin", errors);
    String cursor = Query.param(ctx, "cursor");
    if (cursor != null && !EventService.isCursor(cursor)) {
      errors.add(new FieldError("cursor", "must be the next_cursor of a previous page"));
    }
    int limit = limit(ctx, errors);
    if (!errors.isEmpty()) {
      throw RequestException.invalid(errors);
    }
    Replies.reply(
        ctx,
        events.list(kind, filter, limit, cursor),
        200,
        page -> {
          JsonArray items = new JsonArray();
          page.items().forEach(e -> items.add(view(e)));
          return new JsonObject().put("items", items).put("next_cursor", page.nextCursor());
        });
  }

  private static JsonObject view(StoredEvent<?> e) {
    return e.event() instanceof AdminEvent admin
        ? AdminJson.adminEvent(admin)
        : AdminJson.requestEvent((RequestEvent) e.event());
  }

  private static EventService.Kind kind(RoutingContext ctx, List<FieldError> errors) {
    String type = Query.param(ctx, "type");
    if (type == null) {
      return EventService.Kind.ALL;
    }
    for (EventService.Kind k : EventService.Kind.values()) {
      if (k.wire().equals(type.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    errors.add(new FieldError("type", "must be all, request or admin"));
    return EventService.Kind.ALL;
  }

  /** A filter of one kind of event, asked of the other kind only, is a mistake worth telling. */
  private static void onlyFor(
      RoutingContext ctx,
      EventService.Kind kind,
      EventService.Kind other,
      List<String> fields,
      String owner,
      List<FieldError> errors) {
    if (kind != other) {
      return;
    }
    for (String field : fields) {
      if (Query.param(ctx, field) != null) {
        errors.add(
            new FieldError(field, "filters " + owner + " events; not with type=" + other.wire()));
      }
    }
  }

  private static int limit(RoutingContext ctx, List<FieldError> errors) {
    try {
      return Query.limit(ctx);
    } catch (RequestException e) {
      errors.add(new FieldError("limit", "must be an integer from 1 to " + Query.MAX_LIMIT));
      return Query.DEFAULT_LIMIT;
    }
  }

  private static @Nullable String outcome(RoutingContext ctx, List<FieldError> errors) {
    String outcome = Query.param(ctx, "outcome");
    if (outcome == null || outcome.equals("granted") || outcome.equals("denied")) {
      return outcome;
    }
    errors.add(new FieldError("outcome", "must be granted or denied"));
    return null;
  }

  private static @Nullable String code(RoutingContext ctx, List<FieldError> errors) {
    String code = Query.param(ctx, "code");
    if (code == null || CODE.matcher(code).matches()) {
      return code;
    }
    errors.add(new FieldError("code", "must be a problem code such as key_invalid"));
    return null;
  }

  private static @Nullable String text(RoutingContext ctx, String name, List<FieldError> errors) {
    String value = Query.param(ctx, name);
    if (value == null || (!value.isEmpty() && value.length() <= MAX_VALUE)) {
      return value;
    }
    errors.add(new FieldError(name, "must be 1 to " + MAX_VALUE + " characters"));
    return null;
  }

  private static @Nullable Instant time(RoutingContext ctx, String name, List<FieldError> errors) {
    String value = Query.param(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      Instant time =
          value.length() == 10
              ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
              : OffsetDateTime.parse(value).toInstant();
      if (Query.storable(time)) {
        return time;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    errors.add(
        new FieldError(
            name,
            "must be an ISO-8601 time from year 1 to 9999 such as 2026-01-31T12:00:00Z,"
                + " or a date"));
    return null;
  }
}
