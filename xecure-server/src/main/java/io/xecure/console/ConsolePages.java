package io.xecure.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * The console's pages at {@code /console/}, with {@code /} redirecting there. The files are read
 * once from the jar into memory (a fixed list: nothing on disk or outside it can be served) and
 * answered with a strict Content-Security-Policy: scripts, styles and requests only from this
 * origin, no inline script, no framing. The pages call the admin API with the session cookie.
 */
public final class ConsolePages {
  /** The policy of every page: nothing but files from this origin, no inline code, no frames. */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "developers.html", "text/html; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8",
          "console.css", "text/css; charset=utf-8");

  private final Map<String, Buffer> content;

  public ConsolePages() {
    this.content =
        Map.copyOf(
            FILES.keySet().stream()
                .collect(java.util.stream.Collectors.toMap(f -> f, ConsolePages::load)));
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
        .putHeader("content-type", Objects.requireNonNull(FILES.get(file)))
        .putHeader("content-security-policy", CSP)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY")
        .end(body);
  }

  private static Buffer load(String file) {
    try (InputStream in =
        Objects.requireNonNull(
            ConsolePages.class.getResourceAsStream("/console/" + file), file + " missing")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
