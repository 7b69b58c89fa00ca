package io.xecure.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The console's pages at {@code /console/}, with {@code /} redirecting there. The files are read
 * once from the jar into memory (a fixed list: nothing on disk or outside it can be served), each
 * page put inside the shared layout there and then (no template work per request), and answered
 * with a strict Content-Security-Policy: scripts, styles and requests only from this origin, no
 * inline script, no framing. The pages call the admin API with the session cookie.
 */
public final class ConsolePages {
  /** The policy of every page: nothing but files from this origin, no inline code, no frames. */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final String HTML = "text/html; charset=utf-8";
  private static final String JS = "text/javascript; charset=utf-8";

  /**
   * The console's pages, each built once from {@code /console/pages/<name>.html} (its own content)
   * inside the shared layout ({@link Layout}).
   */
  private static final List<String> PAGES =
      List.of(
          "index",
          "dashboard",
          "developers",
          "developer",
          "keys",
          "events",
          "usage",
          "alerts",
          "apis",
          "operators");

  /** The console's other files, served as they are from {@code /console/} in the jar. */
  private static final Map<String, String> FILES =
      Map.ofEntries(
          Map.entry("common.js", JS),
          Map.entry("charts.js", JS),
          Map.entry("sign-in.js", JS),
          Map.entry("dashboard.js", JS),
          Map.entry("developers.js", JS),
          Map.entry("developer.js", JS),
          Map.entry("keys.js", JS),
          Map.entry("events.js", JS),
          Map.entry("usage.js", JS),
          Map.entry("alerts.js", JS),
          Map.entry("apis.js", JS),
          Map.entry("operators.js", JS),
          Map.entry("console.css", "text/css; charset=utf-8"));

  /**
   * uPlot from its webjar, served under names of the console's own (no CDN, no version in URLs).
   */
  private static final Map<String, String> VENDOR =
      Map.of("uplot.js", "dist/uPlot.esm.js", "uplot.css", "dist/uPlot.min.css");

  private final Map<String, Buffer> content;
  private final Map<String, String> types;

  public ConsolePages() {
    Map<String, Buffer> files = new HashMap<>();
    Map<String, String> kinds = new HashMap<>(FILES);
    FILES.keySet().forEach(f -> files.put(f, load("/console/" + f)));
    Layout layout =
        new Layout(
            load("/console/layout/page.html").toString(),
            load("/console/layout/header.html").toString());
    for (String page : PAGES) {
      String path = "/console/pages/" + page + ".html";
      files.put(page + ".html", Buffer.buffer(layout.render(path, load(path).toString())));
      kinds.put(page + ".html", HTML);
    }
    String uplot = "/META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/";
    VENDOR.forEach((name, path) -> files.put(name, load(uplot + path)));
    kinds.put("uplot.js", JS);
    kinds.put("uplot.css", "text/css; charset=utf-8");
    this.content = Map.copyOf(files);
    this.types = Map.copyOf(kinds);
  }

  /** The version of an npm webjar on the class path, from its Maven metadata. */
  private static String webjarVersion(String artifact) {
    Properties p = new Properties();
    String path = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in =
        Objects.requireNonNull(ConsolePages.class.getResourceAsStream(path), path + " missing")) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Objects.requireNonNull(p.getProperty("version"), path + " names no version");
  }

  /**
   * Serves the pages on {@code router}. The routes name no method, so they are not endpoints of the
   * admin API (nor of its OpenAPI document); anything but GET is refused here.
   */
  public void mount(Router router) {
    router.route("/").handler(ctx -> redirect(ctx, "/console/"));
    // a route on /console matches /console/ too; pages link their files relatively, so only
    // the path with the slash may serve them
    router
        .route("/console")
        .handler(
            ctx -> {
              if (ctx.request().path().endsWith("/")) {
                serve(ctx, "index.html");
              } else {
                redirect(ctx, "/console/");
              }
            });
    router.route("/console/:file").handler(ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(302).putHeader("location", to).end();
  }

  private void serve(RoutingContext ctx, String file) {
    HttpMethod method = ctx.request().method();
    Buffer body = content.get(file);
    if (body == null) {
      ctx.next(); // the admin API's 404
      return;
    }
    if (!method.equals(HttpMethod.GET)) {
      ctx.fail(405);
      return;
    }
    ctx.response()
        .putHeader("content-type", Objects.requireNonNull(types.get(file)))
        .putHeader("content-security-policy", CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY")
        // pages are fetched again after an upgrade; nothing holds data between sessions
        .putHeader("cache-control", "no-store")
        .end(body);
  }

  private static Buffer load(String path) {
    try (InputStream in =
        Objects.requireNonNull(ConsolePages.class.getResourceAsStream(path), path + " missing")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
