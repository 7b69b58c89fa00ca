package io.xecure.keys;

import io.xecure.model.ApiKeyRecord;
import io.xecure.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a key may do: APIs, scopes, pinned CIDRs (also parsed) and plan. Immutable; a million keys
 * have few distinct rights, so the {@link KeyIndex} keeps one instance per distinct value and every
 * key refers to it. Equality is on the stored values ({@code networks} follows from {@code
 * allowedCidrs}).
 */
record Rights(
    boolean allApis,
    Set<String> apis,
    Set<String> scopes,
    List<String> allowedCidrs,
    List<Cidr> networks,
    @Nullable String plan) {

  static Rights of(ApiKeyRecord r) {
    List<String> cidrs = List.copyOf(r.allowedCidrs());
    return new Rights(
        r.apis().contains("*"),
        Set.copyOf(r.apis()),
        Set.copyOf(r.scopes()),
        cidrs,
        networks(cidrs),
        r.plan());
  }

  private static List<Cidr> networks(List<String> cidrs) {
    if (cidrs.isEmpty()) {
      return List.of();
    }
    List<Cidr> parsed = new ArrayList<>(cidrs.size());
    for (String spec : cidrs) {
      Cidr cidr = Cidr.parse(spec);
      if (cidr != null) {
        parsed.add(cidr);
      }
    }
    return List.copyOf(parsed);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Rights r
        && r.apis.equals(apis)
        && r.scopes.equals(scopes)
        && r.allowedCidrs.equals(allowedCidrs)
        && Objects.equals(r.plan, plan);
  }

  @Override
  public int hashCode() {
    return Objects.hash(apis, scopes, allowedCidrs, plan);
  }
}
