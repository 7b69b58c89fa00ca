package io.xecure.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The settings of each policy that is on for one API, by policy: immutable, compared by value (two
 * APIs configured alike have equal settings). A policy without settings here is off for the API.
 */
public final class PolicySettings {
  private final Map<String, Object> byId;

  private PolicySettings(Map<String, Object> byId) {
    this.byId = byId;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings of {@code definition}'s policy, or null when it is off for this API. */
  public <C> @Nullable C get(PolicyDefinition<C> definition) {
    @SuppressWarnings("unchecked") // put(definition, settings) stores only a C under its id
    C settings = (C) byId.get(definition.id());
    return settings;
  }

  /** A copy with {@code definition}'s settings replaced (null: the policy off). */
  public <C> PolicySettings with(PolicyDefinition<C> definition, @Nullable C settings) {
    Builder builder = new Builder();
    builder.byId.putAll(byId);
    return builder.put(definition, settings).build();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof PolicySettings s && s.byId.equals(byId);
  }

  @Override
  public int hashCode() {
    return byId.hashCode();
  }

  @Override
  public String toString() {
    return byId.toString();
  }

  /** Collects settings policy by policy. */
  public static final class Builder {
    private final Map<String, Object> byId = new LinkedHashMap<>();

    private Builder() {}

    /** Sets (or with null removes) the settings of {@code definition}'s policy. */
    public <C> Builder put(PolicyDefinition<C> definition, @Nullable C settings) {
      if (settings == null) {
        byId.remove(definition.id());
      } else {
        byId.put(definition.id(), settings);
      }
      return this;
    }

    public PolicySettings build() {
      return new PolicySettings(Collections.unmodifiableMap(new LinkedHashMap<>(byId)));
    }
  }
}
