package io.xecure.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xecure usage}: request counts per API, developer or key over a time range. */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = {
      "Show usage per API, developer or key: requests, granted, denied and status classes.",
      "--output json prints the whole time series."
    })
@NullMarked // the class, not the package: io.xecure.cli is shared with the app's commands
final class UsageCommand implements java.util.concurrent.Callable<Integer> {
  static final List<String> HEADING =
      List.of("ID", "NAME", "REQUESTS", "GRANTED", "DENIED", "2XX", "4XX", "5XX", "AVG_MS");

  @Mixin AdminClient admin = new AdminClient();

  @Option(names = "--group-by", description = "api, developer or key (default: api)")
  @Nullable String groupBy;

  @Option(names = "--interval", description = "minute, hour or day (default: hour)")
  @Nullable String interval;

  @Option(names = "--from", description = "from this time, or a UTC date")
  @Nullable String from;

  @Option(names = "--to", description = "to this time, or a UTC date")
  @Nullable String to;

  @Option(names = "--key", description = "only this key's requests")
  @Nullable String key;

  @Option(names = "--developer", description = "only this developer's requests")
  @Nullable String developer;

  @Option(names = "--api", description = "only this API's requests")
  @Nullable String api;

  @Option(names = "--limit", description = "at most this many series")
  @Nullable Integer limit;

  @Override
  public Integer call() {
    return admin.run(
        () -> {
          String query =
              AdminClient.query(
                  "group_by",
                  groupBy,
                  "interval",
                  interval,
                  "from",
                  from,
                  "to",
                  to,
                  "key",
                  key,
                  "developer",
                  developer,
                  "api",
                  api,
                  "limit",
                  limit == null ? null : limit.toString());
          JsonObject report = admin.get("/admin/usage" + query).body();
          admin.print(report, UsageCommand::text);
          return 0;
        });
  }

  private static String text(JsonObject report) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADING);
    JsonArray series = report.getJsonArray("series", new JsonArray());
    for (int i = 0; i < series.size(); i++) {
      JsonObject s = series.getJsonObject(i);
      JsonObject t = s.getJsonObject("totals", new JsonObject());
      JsonObject status = t.getJsonObject("status", new JsonObject());
      rows.add(
          List.of(
              AdminClient.cell(s.getValue("id")),
              AdminClient.cell(s.getValue("name")),
              AdminClient.cell(t.getValue("requests")),
              AdminClient.cell(t.getValue("granted")),
              AdminClient.cell(t.getValue("denied")),
              AdminClient.cell(status.getValue("2xx")),
              AdminClient.cell(status.getValue("4xx")),
              AdminClient.cell(status.getValue("5xx")),
              AdminClient.cell(t.getValue("latency_avg_ms"))));
    }
    String range =
        report.getString("from", "?")
            + " to "
            + report.getString("to", "?")
            + " by "
            + report.getString("interval", "?");
    return AdminClient.table(rows) + range + (report.getBoolean("more", false) ? " (more)" : "");
  }
}
