package io.xecure.admin;

import io.vertx.core.http.HttpMethod;
import io.xecure.model.OperatorRole;

/**
 * The one table of which role each admin call needs (SPEC §10), applied to every {@code /admin/*}
 * request before its route runs. An auditor reads everything, events and operators included, and
 * changes nothing but its own sign-out. An operator manages developers, keys and alerts. Only an
 * owner manages operators and tokens, and changes APIs and plans at run time: routing decides where
 * every key's traffic goes, which is not a day-to-day change.
 */
final class Permissions {
  private Permissions() {}

  static OperatorRole required(HttpMethod method, String path) {
    if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
      return OperatorRole.AUDITOR;
    }
    if (path.equals("/admin/session") || path.equals("/admin/session/")) {
      return OperatorRole.AUDITOR; // signing out
    }
    if (under(path, "/admin/operators")
        || under(path, "/admin/apis")
        || under(path, "/admin/plans")) {
      return OperatorRole.OWNER;
    }
    return OperatorRole.OPERATOR;
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
