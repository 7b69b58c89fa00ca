package io.xecure.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times every admin API call the console's pages make (issue 10), with the parameters the pages
 * send by default and with typical filters, against a running gateway on a store filled by {@link
 * DashboardData}. Each call is made once to warm up, then {@value #RUNS} times; prints the median
 * and the maximum, and writes the table to {@code bench/results/dashboard-DATE.md}.
 *
 * <p>{@code java -cp benchmarks.jar io.xecure.bench.DashboardQueries ADMIN_URL TOKEN [LABEL]}
 */
public final class DashboardQueries {
  private static final int RUNS = 5;
  private static final long BUDGET_MS = 300;
  private static final Pattern CURSOR = Pattern.compile("\"next_cursor\"\\s*:\\s*\"([^\"]+)\"");

  private DashboardQueries() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String token = args[1];
    String label = args.length > 2 ? args[2] : "PostgreSQL";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Instant now = Instant.now();
    String dev = DashboardData.devId(1);
    String key = DashboardData.keyId(1);
    Map<String, String> calls = new LinkedHashMap<>();
    for (String[] r :
        new String[][] {
          {"1h", "minute", "3600"},
          {"24h", "hour", "86400"},
          {"7d", "hour", "604800"},
          {"30d", "day", "2592000"}
        }) {
      String range = range(now, r[1], Long.parseLong(r[2]));
      calls.put(
          "dashboard " + r[0] + ": usage by api", "/admin/usage?group_by=api&limit=100&" + range);
      calls.put(
          "dashboard " + r[0] + ": usage by developer",
          "/admin/usage?group_by=developer&limit=5&" + range);
      calls.put(
          "dashboard " + r[0] + ": usage by key", "/admin/usage?group_by=key&limit=5&" + range);
    }
    calls.put("dashboard: open alerts", "/admin/alerts?status=open&limit=5");
    calls.put("dashboard: nodes", "/admin/nodes");
    String day = range(now, "hour", 86400);
    calls.put("usage 24h: by key, one api", "/admin/usage?group_by=key&limit=20&api=users&" + day);
    calls.put(
        "usage 24h: by api, one developer",
        "/admin/usage?group_by=api&limit=20&developer=" + dev + "&" + day);
    calls.put("usage 24h: one key", "/admin/usage?group_by=key&limit=20&key=" + key + "&" + day);
    calls.put(
        "developer 30d: usage by key",
        "/admin/usage?group_by=key&limit=100&developer=" + dev + "&" + range(now, "day", 2592000));
    calls.put("events: first page (all)", "/admin/events?limit=50");
    calls.put("events: requests", "/admin/events?limit=50&type=request");
    calls.put("events: denied", "/admin/events?limit=50&type=request&outcome=denied");
    calls.put("events: code rate_limited", "/admin/events?limit=50&type=request&code=rate_limited");
    calls.put("events: one developer", "/admin/events?limit=50&type=request&developer=" + dev);
    calls.put("events: one key", "/admin/events?limit=50&type=request&key=" + key);
    calls.put(
        "events: one api, denied",
        "/admin/events?limit=50&type=request&api=billing&outcome=denied");
    calls.put(
        "events: a day 10 days ago",
        "/admin/events?limit=50&type=request&from="
            + enc(now.minus(Duration.ofDays(10)))
            + "&to="
            + enc(now.minus(Duration.ofDays(9))));
    calls.put("events: admin changes", "/admin/events?limit=50&type=admin");
    calls.put("events: export page (1000)", "/admin/events?limit=1000&type=request");
    calls.put("developers: first page", "/admin/developers?limit=50");
    calls.put("developer: one", "/admin/developers/" + dev);
    calls.put("developer: its keys", "/admin/keys?limit=50&developer=" + dev);
    calls.put("keys: first page", "/admin/keys?limit=100");
    calls.put("keys: one", "/admin/keys/" + key);
    calls.put("apis", "/admin/apis");
    calls.put("plans", "/admin/plans");

    StringBuilder table = new StringBuilder();
    table.append("| call | status | median ms | max ms | |\n|---|---|---:|---:|---|\n");
    System.out.printf("%-40s %6s %9s %9s%n", "call", "status", "median", "max");
    for (Map.Entry<String, String> c : calls.entrySet()) {
      time(http, base, token, c.getKey(), c.getValue(), table);
      // the next page of a list, by the cursor the first page gave
      if (c.getValue().startsWith("/admin/events?") || c.getValue().startsWith("/admin/keys?")) {
        String body = get(http, base, token, c.getValue()).body();
        Matcher m = CURSOR.matcher(body);
        if (m.find()) {
          time(
              http,
              base,
              token,
              c.getKey() + ", next page",
              c.getValue() + "&cursor=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8),
              table);
        }
      }
    }
    Path out = Path.of("bench/results/dashboard-" + LocalDate.now(ZoneOffset.UTC) + ".md");
    Files.createDirectories(out.getParent());
    String text = "\n## " + label + " (" + now + ")\n\n" + table;
    Files.writeString(
        out,
        text,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    System.out.println("written to " + out);
  }

  private static void time(
      HttpClient http, String base, String token, String name, String path, StringBuilder table)
      throws IOException, InterruptedException {
    HttpResponse<String> warm = get(http, base, token, path);
    long[] ms = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t = System.nanoTime();
      get(http, base, token, path);
      ms[i] = (System.nanoTime() - t) / 1_000_000;
    }
    Arrays.sort(ms);
    long median = ms[RUNS / 2];
    long max = ms[RUNS - 1];
    String flag = max >= BUDGET_MS ? "**over 300 ms**" : "";
    System.out.printf("%-40s %6d %9d %9d %s%n", name, warm.statusCode(), median, max, flag);
    table
        .append("| ")
        .append(name)
        .append(" `")
        .append(path.replace("|", "%7C"))
        .append("` | ")
        .append(warm.statusCode())
        .append(" | ")
        .append(median)
        .append(" | ")
        .append(max)
        .append(" | ")
        .append(flag)
        .append(" |\n");
  }

  private static HttpResponse<String> get(HttpClient http, String base, String token, String path)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static String range(Instant now, String interval, long seconds) {
    return "interval=" + interval + "&from=" + enc(now.minusSeconds(seconds)) + "&to=" + enc(now);
  }

  private static String enc(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }
}
