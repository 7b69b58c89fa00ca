package io.xecure.admin;

import java.util.regex.Pattern;

/**
 * One served method and path, in OpenAPI form ({@code /admin/keys/{id}}). The list of these is what
 * the OpenAPI document must describe, and what answers 405 with an {@code Allow} header.
 */
public record Endpoint(String method, String path) {
  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_]+)}");

  /** The same path in vertx-web form ({@code /admin/keys/:id}). */
  String routerPath() {
    return PARAM.matcher(path).replaceAll(":$1");
  }

  boolean matchesPath(String requestPath) {
    String regex = PARAM.matcher(Pattern.quote(path)).replaceAll("\\\\E[^/]+\\\\Q");
    return requestPath.matches(regex + "/?");
  }
}
