package io.xecure.service;

import io.xecure.model.ApiKeyRecord;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The rights and limits of a key: what issuing sets, what a rotation carries over. */
public record KeySpec(
    String name,
    List<String> apis,
    List<String> scopes,
    List<String> allowedCidrs,
    @Nullable Instant expiresAt,
    @Nullable String plan) {

  public KeySpec {
    apis = List.copyOf(apis);
    scopes = List.copyOf(scopes);
    allowedCidrs = List.copyOf(allowedCidrs);
  }

  public static KeySpec of(ApiKeyRecord key) {
    return new KeySpec(
        key.name(), key.apis(), key.scopes(), key.allowedCidrs(), key.expiresAt(), key.plan());
  }
}
