package io.xecure.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A key as stored: never its plaintext, only its hash and display prefix (SPEC §4).
 *
 * @param identityId the key whose identity this key carries for limits, quotas and usage: itself,
 *     or after a rotation the first key of the chain
 * @param replacesKeyId the key this one replaced in a rotation
 * @param graceUntil on a rotated-out key: until when it still works
 */
public record ApiKeyRecord(
    String id,
    String developerId,
    String name,
    String displayPrefix,
    KeyHash hash,
    KeyStatus status,
    Instant createdAt,
    @Nullable Instant expiresAt,
    List<String> apis,
    List<String> scopes,
    List<String> allowedCidrs,
    @Nullable String plan,
    @Nullable Instant lastUsedAt,
    @Nullable String lastUsedIp,
    @Nullable String replacesKeyId,
    String identityId,
    @Nullable Instant graceUntil) {

  public ApiKeyRecord withStatus(KeyStatus s) {
    return new ApiKeyRecord(
        id,
        developerId,
        name,
        displayPrefix,
        hash,
        s,
        createdAt,
        expiresAt,
        apis,
        scopes,
        allowedCidrs,
        plan,
        lastUsedAt,
        lastUsedIp,
        replacesKeyId,
        identityId,
        graceUntil);
  }

  public ApiKeyRecord withGraceUntil(@Nullable Instant until) {
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
        identityId,
        until);
  }

  /** The same key last used at {@code at} from {@code ip}. */
  public ApiKeyRecord withLastUse(Instant at, String ip) {
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
        at,
        ip,
        replacesKeyId,
        identityId,
        graceUntil);
  }

  /** The same key with the rights an admin PATCH may change. */
  public ApiKeyRecord withRights(
      String name,
      List<String> apis,
      List<String> scopes,
      List<String> allowedCidrs,
      @Nullable Instant expiresAt,
      @Nullable String plan) {
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
        identityId,
        graceUntil);
  }
}
