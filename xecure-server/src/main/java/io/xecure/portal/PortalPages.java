package io.xecure.portal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The portal's pages, read once from the jar into memory (a fixed list: nothing else can be served)
 * and answered with a strict Content-Security-Policy. The pages are static: they hold no data, and
 * their script fills them from the portal API with {@code textContent} only, so nothing a developer
 * or operator typed can become markup.
 */
final class PortalPages {
  /** Nothing but files from this origin, no inline code, no frames, no plugins. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final String HTML = "text/html; charset=utf-8";

  /** URL path → file under {@code /portal/} in the jar, and its content type. */
  private static final Map<String, String[]> PATHS =
      Map.of(
          "/", new String[] {"keys.html", HTML},
          "/signin", new String[] {"signin.html", HTML},
          "/usage", new String[] {"usage.html", HTML},
          "/apis", new String[] {"apis.html", HTML},
          "/assets/portal.js", new String[] {"portal.js", "text/javascript; charset=utf-8"},
          "/assets/portal.css", new String[] {"portal.css", "text/css; charset=utf-8"});

  private final Map<String, Buffer> files;
  private final Buffer invite;

  PortalPages() {
    this.files =
        PATHS.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> load(e.getValue()[0])));
    this.invite = load("invite.html");
  }

  void mount(Router router) {
    PATHS.keySet().forEach(path -> router.route(path).handler(ctx -> serve(ctx, path)));
    // the token stays in the path: the page reads it from location, and no-referrer keeps it
    // from leaving with any request
    router.route("/invite/:token").handler(ctx -> send(ctx, invite, HTML));
  }

  private void serve(RoutingContext ctx, String path) {
    send(ctx, Objects.requireNonNull(files.get(path)), Objects.requireNonNull(PATHS.get(path))[1]);
  }

  private static void send(RoutingContext ctx, Buffer body, String type) {
    HttpMethod method = ctx.request().method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      ctx.fail(405);
      return;
    }
    ctx.response().putHeader("content-type", type).end(body);
  }

  private static Buffer load(String file) {
    try (InputStream in =
        Objects.requireNonNull(
            PortalPages.class.getResourceAsStream("/portal/" + file), file + " missing")) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
