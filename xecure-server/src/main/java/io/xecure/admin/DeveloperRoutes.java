package io.xecure.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xecure.model.DeveloperStatus;
import io.xecure.service.DeveloperPatch;
import io.xecure.service.DeveloperService;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** {@code /admin/developers}: create, list, read, change (name, email, status), delete. */
final class DeveloperRoutes {
  static final int MAX_NAME = 200;
  static final int MAX_EMAIL = 254;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Set<String> FIELDS = Set.of("name", "email");
  private static final Set<String> PATCH_FIELDS = Set.of("name", "email", "status");

  private final DeveloperService developers;

  DeveloperRoutes(DeveloperService developers) {
    this.developers = developers;
  }

  void register(Routes routes) {
    routes.post("/admin/developers", this::create);
    routes.get("/admin/developers", this::list);
    routes.get("/admin/developers/{id}", this::get);
    routes.patch("/admin/developers/{id}", this::patch);
    routes.delete("/admin/developers/{id}", this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, FIELDS);
    String name = body.required("name", MAX_NAME);
    String email = email(body, body.required("email", MAX_EMAIL));
    body.check();
    Replies.created(
        ctx,
        developers.create(AdminApi.actor(ctx), name, email),
        d -> "/admin/developers/" + d.id(),
        AdminJson::developer);
  }

  private void list(RoutingContext ctx) {
    int limit = Query.limit(ctx);
    String cursor = Query.cursor(ctx);
    Replies.reply(
        ctx, developers.list(limit, cursor), 200, p -> AdminJson.page(p, AdminJson::developer));
  }

  private void get(RoutingContext ctx) {
    Replies.reply(ctx, developers.get(ctx.pathParam("id")), 200, AdminJson::developer);
  }

  private void patch(RoutingContext ctx) {
    JsonBody body = JsonBody.read(ctx, PATCH_FIELDS);
    for (String field : List.of("name", "email", "status")) {
      if (body.isNull(field)) {
        body.error(field, "must not be null");
      }
    }
    String name = body.string("name", MAX_NAME);
    String email = body.string("email", MAX_EMAIL);
    DeveloperPatch patch =
        new DeveloperPatch(name, email == null ? null : email(body, email), status(body));
    body.check();
    Replies.reply(
        ctx,
        developers.update(AdminApi.actor(ctx), ctx.pathParam("id"), patch),
        200,
        AdminJson::developer);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Replies.reply(
        ctx,
        developers.delete(AdminApi.actor(ctx), id),
        200,
        revoked ->
            new JsonObject()
                .put("id", id)
                .put("deleted", true)
                .put("revoked_keys", revoked.size()));
  }

  private static String email(JsonBody body, String email) {
    if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
      body.error("email", "must be an email address");
    }
    return email;
  }

  private static @Nullable DeveloperStatus status(JsonBody body) {
    String status = body.string("status", 20);
    if (status == null) {
      return null;
    }
    return switch (status) {
      case "active" -> DeveloperStatus.ACTIVE;
      case "suspended" -> DeveloperStatus.SUSPENDED;
      default -> {
        body.error("status", "must be active or suspended");
        yield null;
      }
    };
  }
}
