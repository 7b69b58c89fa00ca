package io.xecure.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xecure.config.ApiConfig;
import io.xecure.config.Section;
import io.xecure.pipeline.Policy;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything the gateway knows about one policy, in one place: its id and order, how its settings
 * of one API are read from the configuration, written back as JSON and described in the admin API's
 * schema, and how the policy is built for an API. Listed once in {@link Policies}; the config
 * loader, the JSON view, the OpenAPI document and the pipeline builder iterate that list and never
 * name a policy. (As an Envoy filter owns its config factory, or a Kong plugin folder holds its
 * handler and its schema.)
 *
 * @param <C> the policy's settings for one API, an immutable value with equals
 */
public interface PolicyDefinition<C> {
  /** The policy's stable id (the {@link Policy#id()} of what {@link #create} builds). */
  String id();

  /**
   * The policy's place in the chain (the {@link Policy#order()} of what {@link #create} builds).
   */
  int order();

  /**
   * Binds this policy's fields of one API mapping ({@code key_auth}, {@code cors}, ...). Reports
   * every problem to {@code api.problems()} with its path and never throws for bad input.
   *
   * @return the settings, or null when the policy is off for this API (its optional section is
   *     absent) or its section is invalid (then reported)
   */
  @Nullable C parse(Section api, ParseContext context);

  /**
   * Writes {@code settings} into the API's JSON, every field with defaults included, in the shape
   * {@link #parse} reads back to equal settings.
   */
  void toJson(C settings, ObjectNode api);

  /** The JSON Schema of the fields {@link #toJson} writes, by field name, in writing order. */
  ObjectNode schema();

  /** The fields of {@link #schema} that {@link #toJson} always writes; none unless overridden. */
  default Set<String> alwaysWritten() {
    return Set.of();
  }

  /** The policy for {@code api}, built once per routing snapshot. */
  Policy create(C settings, ApiConfig api, PolicyServices services);

  /** What a policy's parser may check against beyond its own fields. */
  record ParseContext(Set<String> planNames) {}

  /** The settings of a policy that has none of its own per API, and is on for every API. */
  enum Always {
    ON
  }
}
