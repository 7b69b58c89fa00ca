package io.xecure.usage;

import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to the requests of one row or one point: decisions, denials by problem code,
 * response status classes and latency (the whole request, in microseconds). Every request is
 * granted or denied, so {@link #requests()} is also the latency count.
 *
 * @param deniedByCode denials per problem code ({@code key_invalid}, ...), zero counts left out
 * @param latencyMaxMicros the slowest request; 0 when there was none
 */
public record UsageCounts(
    long granted,
    long denied,
    Map<String, Long> deniedByCode,
    long status2xx,
    long status3xx,
    long status4xx,
    long status5xx,
    long latencySumMicros,
    long latencyMaxMicros) {

  public static final UsageCounts ZERO = new UsageCounts(0, 0, Map.of(), 0, 0, 0, 0, 0, 0);

  public UsageCounts {
    deniedByCode = Map.copyOf(deniedByCode);
  }

  public long requests() {
    return granted + denied;
  }

  public boolean isEmpty() {
    return granted == 0 && denied == 0;
  }

  /** Both counts together, as two flushes of the same minute add up in the store. */
  public UsageCounts plus(UsageCounts o) {
    Map<String, Long> codes = new TreeMap<>(deniedByCode);
    o.deniedByCode.forEach((code, n) -> codes.merge(code, n, Long::sum));
    return new UsageCounts(
        granted + o.granted,
        denied + o.denied,
        codes,
        status2xx + o.status2xx,
        status3xx + o.status3xx,
        status4xx + o.status4xx,
        status5xx + o.status5xx,
        latencySumMicros + o.latencySumMicros,
        Math.max(latencyMaxMicros, o.latencyMaxMicros));
  }

  /** Mean latency in milliseconds, 0 when there was no request. */
  public double latencyAvgMillis() {
    long n = requests();
    return n == 0 ? 0 : latencySumMicros / 1000.0 / n;
  }
}
