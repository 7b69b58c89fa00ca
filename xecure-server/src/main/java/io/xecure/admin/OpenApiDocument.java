package io.xecure.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.policy.Policies;
import io.xecure.policy.PolicyDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The OpenAPI document of the admin API: the hand-written {@code openapi.json} with each policy's
 * fields of an API ({@link PolicyDefinition#schema()}) filled into the {@code Api} and {@code
 * ApiPut} schemas, so that a policy's schema lives next to its parser.
 */
final class OpenApiDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenApiDocument() {}

  /** The whole document; fails when the resource is missing or not JSON (a build error). */
  static ObjectNode build() {
    ObjectNode doc = read();
    ObjectNode schemas = (ObjectNode) doc.path("components").path("schemas");
    for (PolicyDefinition<?> definition : Policies.ALL) {
      addPolicy(definition, (ObjectNode) schemas.get("Api"), true);
      addPolicy(definition, (ObjectNode) schemas.get("ApiPut"), false);
    }
    return doc;
  }

  private static void addPolicy(PolicyDefinition<?> definition, ObjectNode api, boolean read) {
    ((ObjectNode) api.get("properties")).setAll(definition.schema());
    if (read) {
      ArrayNode required = (ArrayNode) api.get("required");
      definition.alwaysWritten().stream().sorted().forEach(required::add);
    }
  }

  private static ObjectNode read() {
    try (InputStream in =
        Objects.requireNonNull(
            OpenApiDocument.class.getResourceAsStream("/openapi.json"), "openapi.json missing")) {
      JsonNode doc = JSON.readTree(in);
      return (ObjectNode) doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as served: pretty-printed JSON. */
  static byte[] bytes() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
