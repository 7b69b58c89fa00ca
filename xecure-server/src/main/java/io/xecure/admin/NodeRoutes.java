package io.xecure.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.cluster.NodeDirectory;
import io.xecure.store.NodeStore.Node;
import java.util.List;

/** The gateway nodes sharing the database (SPEC §8). */
final class NodeRoutes {
  private final NodeDirectory nodes;

  NodeRoutes(NodeDirectory nodes) {
    this.nodes = nodes;
  }

  void register(Routes routes) {
    routes.get("/admin/nodes", this::list);
  }

  private void list(RoutingContext ctx) {
    Replies.reply(ctx, nodes.list(), 200, NodeRoutes::json);
  }

  private static JsonObject json(List<NodeDirectory.Listed> listed) {
    JsonArray items = new JsonArray();
    for (NodeDirectory.Listed l : listed) {
      Node n = l.node();
      items.add(
          new JsonObject()
              .put("id", n.id())
              .put("address", n.address())
              .put("version", n.version())
              .put("started_at", n.startedAt().toString())
              .put("last_heartbeat", n.lastHeartbeat().toString())
              .put("live", l.live())
              .put("applied_sequence", n.appliedSequence())
              .put("lag", l.lag())
              .put("key_count", n.keyCount())
              // a node writes its heartbeat to PostgreSQL: a live one reaches it
              .put("postgres", l.live() ? "ok" : "unknown")
              .put("redis", n.redis()));
    }
    return new JsonObject().put("items", items);
  }
}
