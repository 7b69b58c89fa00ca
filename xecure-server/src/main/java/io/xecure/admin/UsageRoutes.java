package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.service.UsageService;
import io.xecure.usage.UsageCounts;
import io.xecure.usage.UsageDimension;
import io.xecure.usage.UsageInterval;
import io.xecure.usage.UsageQuery;
import io.xecure.usage.UsageSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /admin/usage}: time series ready to chart, one per key, developer or API, with a point
 * for every interval of the range (zeros included), the busiest series first.
 */
final class UsageRoutes {
  /** Points per series at most: a day of minutes, two months of hours, four years of days. */
  static final int MAX_POINTS = 1440;

  static final int DEFAULT_SERIES = 20;
  static final int MAX_SERIES = 100;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final UsageService usage;
  private final Clock clock;

  UsageRoutes(UsageService usage, Clock clock) {
    this.usage = usage;
    this.clock = clock;
  }

  void register(Routes routes) {
    routes.get("/admin/usage", this::get);
  }

  private void get(RoutingContext ctx) {
    List<FieldError> errors = new ArrayList<>();
    UsageDimension groupBy = groupBy(ctx, errors);
    UsageInterval interval = interval(ctx, errors);
    Instant from = time(ctx, "from", errors);
    Instant to = time(ctx, "to", errors);
    String key = id(ctx, "key", errors);
    String developer = id(ctx, "developer", errors);
    String api = id(ctx, "api", errors);
    int limit = limit(ctx, errors);
    Instant end = to == null ? defaultEnd(interval, from) : interval.ceil(to);
    Instant start = from == null ? end.minus(defaultRange(interval)) : interval.floor(from);
    if (errors.isEmpty()) {
      checkRange(start, end, interval, errors);
    }
    if (!errors.isEmpty()) {
      throw RequestException.invalid(errors);
    }
    UsageQuery query = new UsageQuery(groupBy, interval, start, end, key, developer, api, limit);
    Replies.reply(ctx, usage.query(query), 200, report -> view(report, key));
  }

  private static UsageDimension groupBy(RoutingContext ctx, List<FieldError> errors) {
    String text = Query.param(ctx, "group_by");
    UsageDimension d = text == null ? UsageDimension.API : UsageDimension.parse(text);
    if (d == null) {
      errors.add(new FieldError("group_by", "must be key, developer or api"));
      return UsageDimension.API;
    }
    return d;
  }

  private static UsageInterval interval(RoutingContext ctx, List<FieldError> errors) {
    String text = Query.param(ctx, "interval");
    UsageInterval i = text == null ? UsageInterval.HOUR : UsageInterval.parse(text);
    if (i == null) {
      errors.add(new FieldError("interval", "must be minute, hour or day"));
      return UsageInterval.HOUR;
    }
    return i;
  }

  /** An ISO-8601 time with an offset ({@code 2026-01-02T03:04:05Z}) or a UTC date. */
  private static @Nullable Instant time(RoutingContext ctx, String name, List<FieldError> errors) {
    String text = Query.param(ctx, name);
    if (text == null) {
      return null;
    }
    try {
      Instant time =
          text.length() == 10
              ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
              : Instant.parse(text);
      if (Query.storable(time)) {
        return time;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    errors.add(
        new FieldError(
            name,
            "must be an ISO-8601 time from year 1 to 9999 such as 2026-01-02T03:04:05Z,"
                + " or a date"));
    return null;
  }

  private static @Nullable String id(RoutingContext ctx, String name, List<FieldError> errors) {
    String text = Query.param(ctx, name);
    if (text != null && !ID.matcher(text).matches()) {
      errors.add(new FieldError(name, "must be an id or a name of at most 64 characters"));
      return null;
    }
    return text;
  }

  private static int limit(RoutingContext ctx, List<FieldError> errors) {
    String text = Query.param(ctx, "limit");
    if (text == null) {
      return DEFAULT_SERIES;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_SERIES) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError("limit", "must be an integer from 1 to " + MAX_SERIES));
    return DEFAULT_SERIES;
  }

  /** The end of the interval in progress, or a default range after {@code from}. */
  private Instant defaultEnd(UsageInterval interval, @Nullable Instant from) {
    if (from != null) {
      return interval.floor(from).plus(defaultRange(interval));
    }
    return interval.floor(clock.instant()).plus(interval.duration());
  }

  /** An hour of minutes, a day of hours, 30 days. */
  private static Duration defaultRange(UsageInterval interval) {
    return switch (interval) {
      case MINUTE -> Duration.ofHours(1);
      case HOUR -> Duration.ofDays(1);
      case DAY -> Duration.ofDays(30);
    };
  }

  private static void checkRange(
      Instant start, Instant end, UsageInterval interval, List<FieldError> errors) {
    if (!start.isBefore(end)) {
      errors.add(new FieldError("to", "must be after from"));
      return;
    }
    long points = Duration.between(start, end).toMinutes() / interval.minutes();
    if (points > MAX_POINTS) {
      errors.add(
          new FieldError(
              "from",
              "the range holds "
                  + points
                  + " "
                  + interval.wire()
                  + "s; at most "
                  + MAX_POINTS
                  + " points per series: narrow it or choose a coarser interval"));
    }
  }

  private static JsonObject view(UsageService.Report report, @Nullable String key) {
    UsageQuery q = report.query();
    JsonArray series = new JsonArray();
    for (UsageSeries s : report.result().series()) {
      series.add(
          new JsonObject()
              .put("id", s.id())
              .put("name", report.names().get(s.id()))
              .put("totals", counts(s.total()))
              .put("points", points(s, q)));
    }
    return new JsonObject()
        .put("group_by", q.groupBy().wire())
        .put("interval", q.interval().wire())
        .put("from", q.from().toString())
        .put("to", q.to().toString())
        .put(
            "filters",
            new JsonObject().put("key", key).put("developer", q.developer()).put("api", q.api()))
        .put("series", series)
        .put("more", report.result().more());
  }

  /** Every interval of the range, zeros where nothing happened: a chart needs no gap logic. */
  private static JsonArray points(UsageSeries s, UsageQuery q) {
    Map<Instant, UsageCounts> byTime = new HashMap<>();
    s.points().forEach(p -> byTime.put(p.t(), p.counts()));
    JsonArray points = new JsonArray();
    for (Instant t = q.from(); t.isBefore(q.to()); t = t.plus(q.interval().duration())) {
      UsageCounts c = byTime.getOrDefault(t, UsageCounts.ZERO);
      points.add(new JsonObject().put("t", t.toString()).mergeIn(counts(c)));
    }
    return points;
  }

  private static JsonObject counts(UsageCounts c) {
    JsonObject denied = new JsonObject();
    c.deniedByCode().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> denied.put(e.getKey(), e.getValue()));
    return new JsonObject()
        .put("requests", c.requests())
        .put("granted", c.granted())
        .put("denied", c.denied())
        .put("denied_by_code", denied)
        .put(
            "status",
            new JsonObject()
                .put("2xx", c.status2xx())
                .put("3xx", c.status3xx())
                .put("4xx", c.status4xx())
                .put("5xx", c.status5xx()))
        .put("latency_avg_ms", Math.round(c.latencyAvgMillis() * 1000) / 1000.0)
        .put("latency_max_ms", c.latencyMaxMicros() / 1000.0);
  }
}
