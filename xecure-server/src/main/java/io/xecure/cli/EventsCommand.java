package io.xecure.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xecure events}: the audit log (request decisions and admin changes) with every filter of
 * {@code GET /admin/events}, newest first; with {@code --follow}, oldest first and then each new
 * event as it lands, like {@code tail -f}.
 */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "List audit events: request decisions and admin changes, newest first.",
      "With --follow, print them oldest first and keep printing new ones until interrupted."
    })
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class EventsCommand implements java.util.concurrent.Callable<Integer> {
  static final List<String> HEADING = List.of("TIME", "TYPE", "WHO", "WHAT", "DETAIL");

  /**
   * How far back each poll of {@code --follow} looks again: request events land in batches, a few
   * seconds after their time, so a poll from the newest time seen alone would miss some.
   */
  static final Duration FOLLOW_LAG = Duration.ofSeconds(30);

  /** Pages one poll reads at most: beyond that, a burst is printed on the next poll. */
  private static final int FOLLOW_PAGES = 10;

  /** Events remembered to print each once; well above what {@link #FOLLOW_LAG} holds. */
  private static final int SEEN_LIMIT = 100_000;

  @Mixin AdminClient admin = new AdminClient();
  @Mixin PageOptions page = new PageOptions();

  @Option(names = "--type", description = "all, request or admin")
  @Nullable String type;

  @Option(names = "--outcome", description = "granted or denied (request events)")
  @Nullable String outcome;

  @Option(names = "--code", description = "problem code, e.g. key_invalid (request events)")
  @Nullable String code;

  @Option(names = "--developer", description = "developer id (request events)")
  @Nullable String developer;

  @Option(names = "--key", description = "key id (request events)")
  @Nullable String key;

  @Option(names = "--api", description = "API name (request events)")
  @Nullable String api;

  @Option(names = "--actor", description = "who made the change (admin events)")
  @Nullable String actor;

  @Option(names = "--action", description = "e.g. key.revoked (admin events)")
  @Nullable String action;

  @Option(names = "--target", description = "the id changed (admin events)")
  @Nullable String target;

  @Option(names = "--from", description = "from this time (inclusive), or a UTC date")
  @Nullable String from;

  @Option(names = "--to", description = "before this time, or a UTC date")
  @Nullable String to;

  @Option(
      names = {"-f", "--follow"},
      description = "keep printing new events")
  boolean follow;

  @Option(
      names = "--interval",
      defaultValue = "2",
      description = "seconds between polls with --follow (default: ${DEFAULT-VALUE})")
  double interval = 2;

  @Option(names = "--polls", description = "with --follow, stop after this many polls")
  @Nullable Integer polls;

  @Override
  public Integer call() {
    if (!follow) {
      return admin.run(
          () -> {
            admin.printPage(
                admin.get("/admin/events" + query(from)).body(), HEADING, EventsCommand::cells);
            return 0;
          });
    }
    return admin.run(this::follow);
  }

  private String query(@Nullable String since) {
    return page.query(
        "type",
        type,
        "outcome",
        outcome,
        "code",
        code,
        "developer",
        developer,
        "key",
        key,
        "api",
        api,
        "actor",
        actor,
        "action",
        action,
        "target",
        target,
        "from",
        since,
        "to",
        to);
  }

  /**
   * Polls the first pages from a little before the newest event seen and prints, oldest first, each
   * event not printed yet. Ends when interrupted, after {@code --polls}, or on a failed call.
   */
  private int follow() throws AdminClient.CallFailed {
    Map<String, Boolean> seen =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_LIMIT;
          }
        };
    @Nullable Instant newest = null;
    for (int poll = 0; polls == null || poll < polls; poll++) {
      if (poll > 0 && !pause()) {
        return 0;
      }
      String since = newest == null ? from : newest.minus(FOLLOW_LAG).toString();
      List<JsonObject> batch = new ArrayList<>();
      String cursor = null;
      for (int p = 0; p < FOLLOW_PAGES; p++) {
        page.cursor = cursor;
        JsonObject reply = admin.get("/admin/events" + query(since)).body();
        JsonArray items = reply.getJsonArray("items", new JsonArray());
        items.forEach(e -> batch.add((JsonObject) e));
        cursor = reply.getString("next_cursor");
        if (cursor == null || newest == null) {
          break; // the first poll shows one page, as a listing would
        }
      }
      Collections.reverse(batch);
      for (JsonObject event : batch) {
        if (seen.put(identity(event), Boolean.TRUE) == null) {
          admin.out().print(AdminClient.table(List.of(cells(event))));
        }
        Instant t = time(event);
        if (t != null && (newest == null || t.isAfter(newest))) {
          newest = t;
        }
      }
      admin.out().flush();
    }
    return 0;
  }

  private boolean pause() {
    try {
      Thread.sleep(Math.max(10, (long) (interval * 1000)));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static @Nullable Instant time(JsonObject event) {
    try {
      String t = event.getString("time");
      return t == null ? null : Instant.parse(t);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Request events by their request id; admin events by all they say. */
  static String identity(JsonObject e) {
    String requestId = e.getString("request_id");
    return requestId != null ? "r " + requestId : "a " + e.encode();
  }

  static List<String> cells(JsonObject e) {
    if ("request".equals(e.getString("type"))) {
      String code = e.getString("code");
      return List.of(
          AdminClient.cell(e.getValue("time")),
          "request",
          AdminClient.cell(e.getValue("key_id")),
          e.getString("method", "") + " " + e.getString("path", "") + " " + e.getValue("status"),
          e.getString("outcome", "") + (code == null ? "" : " " + code));
    }
    return List.of(
        AdminClient.cell(e.getValue("time")),
        "admin",
        AdminClient.cell(e.getValue("actor")),
        e.getString("action", "") + " " + e.getString("target", ""),
        AdminClient.cell(e.getValue("detail")));
  }
}
