package io.xecure.keys;

import io.xecure.model.ApiKeyRecord;
import io.xecure.model.KeyStatus;
import io.xecure.net.Cidr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the request path needs of a key, resolved once when the key is loaded or changed: timestamps
 * as epoch millis, rights as sets, allowed CIDRs parsed. Immutable; a change replaces the whole
 * entry.
 *
 * @param allowedCidrs the CIDRs as stored; non-empty means the key is pinned to them
 * @param networks {@code allowedCidrs} parsed, without any that do not parse (the admin API refuses
 *     those, so none should): a key pinned only to unparseable CIDRs is usable from nowhere, never
 *     from everywhere, because pinning is decided on {@code allowedCidrs}
 */
public record IndexedKey(
    String id,
    String identityId,
    String developerId,
    KeyStatus status,
    long expiresAtMillis,
    long graceUntilMillis,
    boolean allApis,
    Set<String> apis,
    Set<String> scopes,
    List<String> allowedCidrs,
    List<Cidr> networks,
    @Nullable String plan) {

  private static final long NEVER = Long.MAX_VALUE;

  public static IndexedKey of(ApiKeyRecord r) {
    return of(r, Interner.NONE);
  }

  /** Builds the entry, sharing equal strings and sets through {@code interner}. */
  static IndexedKey of(ApiKeyRecord r, Interner interner) {
    String plan = r.plan();
    List<String> cidrs = interner.share(List.copyOf(r.allowedCidrs()));
    return new IndexedKey(
        r.id(),
        r.identityId().equals(r.id()) ? r.id() : r.identityId(),
        interner.share(r.developerId()),
        r.status(),
        millis(r.expiresAt()),
        millis(r.graceUntil()),
        r.apis().contains("*"),
        interner.share(Set.copyOf(r.apis())),
        interner.share(Set.copyOf(r.scopes())),
        cidrs,
        cidrs.isEmpty() ? List.of() : interner.share(networks(cidrs)),
        plan == null ? null : interner.share(plan));
  }

  /** Shares equal immutable values between entries: a million keys have few distinct rights. */
  interface Interner {
    Interner NONE =
        new Interner() {
          @Override
          public <T> T share(T value) {
            return value;
          }
        };

    <T> T share(T value);
  }

  private static List<Cidr> networks(List<String> cidrs) {
    List<Cidr> parsed = new ArrayList<>(cidrs.size());
    for (String spec : cidrs) {
      Cidr cidr = Cidr.parse(spec);
      if (cidr != null) {
        parsed.add(cidr);
      }
    }
    return List.copyOf(parsed);
  }

  private static long millis(@Nullable Instant t) {
    return t == null ? NEVER : t.toEpochMilli();
  }

  /** Whether the key has expired at {@code nowMillis}, by its expiry or its rotation grace. */
  public boolean expiredAt(long nowMillis) {
    return status == KeyStatus.EXPIRED
        || nowMillis >= expiresAtMillis
        || nowMillis >= graceUntilMillis;
  }

  public boolean grants(String api) {
    return allApis || apis.contains(api);
  }

  /** Whether the key is pinned to {@code allowed_cidrs}. */
  public boolean pinned() {
    return !allowedCidrs.isEmpty();
  }

  /**
   * Whether a pinned key may be used from {@code address} (the bytes of {@link
   * Cidr#address(String)}); an IPv4 client matches IPv4-mapped IPv6 networks and the reverse.
   */
  public boolean allowsFrom(byte[] address) {
    for (Cidr network : networks) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
