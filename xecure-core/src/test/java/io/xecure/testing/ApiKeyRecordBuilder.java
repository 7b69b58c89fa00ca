package io.xecure.testing;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyHash;
import io.xecure.model.KeyStatus;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds an {@link ApiKeyRecord} for tests: an active key created at the epoch, granted no API,
 * with no scopes, networks, plan, expiry or use, whose identity is itself. Tests set only what they
 * are about.
 */
public final class ApiKeyRecordBuilder {
  private final String id;
  private String developerId;
  private String name = "test key";
  private String displayPrefix = "xk_test0";
  private KeyHash hash;
  private KeyStatus status = KeyStatus.ACTIVE;
  private Instant createdAt = Instant.EPOCH;
  private @Nullable Instant expiresAt;
  private List<String> apis = List.of();
  private List<String> scopes = List.of();
  private List<String> allowedCidrs = List.of();
  private @Nullable String plan;
  private @Nullable Instant lastUsedAt;
  private @Nullable String lastUsedIp;
  private @Nullable String replacesKeyId;
  private @Nullable String identityId;
  private @Nullable Instant graceUntil;

  private ApiKeyRecordBuilder(String id, String developerId, KeyHash hash) {
    this.id = id;
    this.developerId = developerId;
    this.hash = hash;
  }

  /** A key of {@code developerId} whose hash is all zeroes (for tests that never verify it). */
  public static ApiKeyRecordBuilder key(String id, String developerId) {
    return new ApiKeyRecordBuilder(id, developerId, KeyHash.of(new byte[32]));
  }

  public ApiKeyRecordBuilder developerId(String developerId) {
    this.developerId = developerId;
    return this;
  }

  public ApiKeyRecordBuilder name(String name) {
    this.name = name;
    return this;
  }

  /** The display prefix and hash of a real key, so the index can verify it. */
  public ApiKeyRecordBuilder secret(String displayPrefix, KeyHash hash) {
    this.displayPrefix = displayPrefix;
    this.hash = hash;
    return this;
  }

  public ApiKeyRecordBuilder status(KeyStatus status) {
    this.status = status;
    return this;
  }

  public ApiKeyRecordBuilder createdAt(Instant createdAt) {
    this.createdAt = createdAt;
    return this;
  }

  public ApiKeyRecordBuilder expiresAt(@Nullable Instant expiresAt) {
    this.expiresAt = expiresAt;
    return this;
  }

  public ApiKeyRecordBuilder apis(List<String> apis) {
    this.apis = List.copyOf(apis);
    return this;
  }

  public ApiKeyRecordBuilder apis(String... apis) {
    return apis(List.of(apis));
  }

  public ApiKeyRecordBuilder scopes(List<String> scopes) {
    this.scopes = List.copyOf(scopes);
    return this;
  }

  public ApiKeyRecordBuilder allowedCidrs(List<String> allowedCidrs) {
    this.allowedCidrs = List.copyOf(allowedCidrs);
    return this;
  }

  public ApiKeyRecordBuilder plan(@Nullable String plan) {
    this.plan = plan;
    return this;
  }

  public ApiKeyRecordBuilder lastUse(@Nullable Instant at, @Nullable String ip) {
    this.lastUsedAt = at;
    this.lastUsedIp = ip;
    return this;
  }

  /** A successor in a rotation: it replaces {@code keyId} and carries {@code identityId}. */
  public ApiKeyRecordBuilder replaces(@Nullable String keyId, @Nullable String identityId) {
    this.replacesKeyId = keyId;
    this.identityId = identityId;
    return this;
  }

  public ApiKeyRecordBuilder graceUntil(@Nullable Instant graceUntil) {
    this.graceUntil = graceUntil;
    return this;
  }

  public ApiKeyRecord build() {
    return new ApiKeyRecord(
        id,
        developerId,
        name,
        displayPrefix,
        hash,
        status,
        createdAt,
        expiresAt,
        apis,
        scopes,
        allowedCidrs,
        plan,
        lastUsedAt,
        lastUsedIp,
        replacesKeyId,
        identityId == null ? id : identityId,
        graceUntil);
  }
}
