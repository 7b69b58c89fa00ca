package io.xecure.keys;

import io.xecure.model.KeyStatus;
import io.xecure.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the request path needs of a key, as {@link KeyIndex#get} found it: timestamps as epoch
 * millis, rights as sets, allowed CIDRs parsed. A snapshot built on each look-up from the index's
 * flat columns; later changes to the key do not show through it. Its id is decoded from the index's
 * id bytes only when asked for (a verification that only judges the key never needs it).
 */
public final class IndexedKey {
  private final byte[] idBytes;
  private final int idOffset;
  private final @Nullable String identityId;
  private final String developerId;
  private final KeyStatus status;
  private final long expiresAtMillis;
  private final long graceUntilMillis;
  private final Rights rights;
  private @Nullable String id;

  IndexedKey(
      byte[] idBytes,
      int idOffset,
      @Nullable String identityId,
      String developerId,
      KeyStatus status,
      long expiresAtMillis,
      long graceUntilMillis,
      Rights rights) {
    this.idBytes = idBytes;
    this.idOffset = idOffset;
    this.identityId = identityId;
    this.developerId = developerId;
    this.status = status;
    this.expiresAtMillis = expiresAtMillis;
    this.graceUntilMillis = graceUntilMillis;
    this.rights = rights;
  }

  public String id() {
    String s = id;
    if (s == null) {
      // a benign race: every thread decodes the same immutable bytes to an equal string
      s = new String(idBytes, idOffset + 1, idBytes[idOffset] & 0xff, StandardCharsets.UTF_8);
      id = s;
    }
    return s;
  }

  /** The identity limits and usage count under: after a rotation the first key's, else its own. */
  public String identityId() {
    return identityId == null ? id() : identityId;
  }

  public String developerId() {
    return developerId;
  }

  public KeyStatus status() {
    return status;
  }

  public long expiresAtMillis() {
    return expiresAtMillis;
  }

  public long graceUntilMillis() {
    return graceUntilMillis;
  }

  public boolean allApis() {
    return rights.allApis();
  }

  public Set<String> apis() {
    return rights.apis();
  }

  public Set<String> scopes() {
    return rights.scopes();
  }

  /** The CIDRs as stored; non-empty means the key is pinned to them. */
  public List<String> allowedCidrs() {
    return rights.allowedCidrs();
  }

  /**
   * {@link #allowedCidrs} parsed, without any that do not parse (the admin API refuses those, so
   * none should): a key pinned only to unparseable CIDRs is usable from nowhere, never from
   * everywhere, because pinning is decided on {@link #allowedCidrs}.
   */
  public List<Cidr> networks() {
    return rights.networks();
  }

  public @Nullable String plan() {
    return rights.plan();
  }

  /** Whether the key has expired at {@code nowMillis}, by its expiry or its rotation grace. */
  public boolean expiredAt(long nowMillis) {
    return status == KeyStatus.EXPIRED
        || nowMillis >= expiresAtMillis
        || nowMillis >= graceUntilMillis;
  }

  public boolean grants(String api) {
    return rights.allApis() || rights.apis().contains(api);
  }

  /** Whether the key is pinned to {@code allowed_cidrs}. */
  public boolean pinned() {
    return !rights.allowedCidrs().isEmpty();
  }

  /**
   * Whether a pinned key may be used from {@code address} (the bytes of {@link
   * Cidr#address(String)}); an IPv4 client matches IPv4-mapped IPv6 networks and the reverse.
   */
  public boolean allowsFrom(byte[] address) {
    for (Cidr network : rights.networks()) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "IndexedKey[" + id() + ", " + status + "]";
  }
}
