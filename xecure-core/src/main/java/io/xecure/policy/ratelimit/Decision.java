package io.xecure.policy.ratelimit;

/**
 * The answer of a {@link LimiterStore} for one request, with what the client is told about the
 * limit that binds it most tightly.
 *
 * @param limit the {@code RateLimit-Limit} of the binding limit: the rate's or the quota's limit
 * @param remaining requests still allowed now under that limit ({@code RateLimit-Remaining})
 * @param resetSeconds seconds until that limit is whole again ({@code RateLimit-Reset}): for the
 *     rate, until its burst is fully refilled; for the quota, until its window ends
 * @param retryAfterSeconds on a refusal, whole seconds (at least 1) until a request can succeed; 0
 *     when granted
 * @param quotaUsed when granted under a quota: the requests of the quota's current window counted
 *     so far, this one included, whichever limit binds tighter (watched by the {@code quota_near}
 *     alert); otherwise 0
 * @param quotaLimit the quota's limit when {@code quotaUsed} is set; otherwise 0
 */
public record Decision(
    Verdict verdict,
    long limit,
    long remaining,
    long resetSeconds,
    long retryAfterSeconds,
    long quotaUsed,
    long quotaLimit) {

  public enum Verdict {
    GRANTED,
    RATE_LIMITED,
    QUOTA_EXCEEDED
  }

  public boolean granted() {
    return verdict == Verdict.GRANTED;
  }

  /** A granted request with {@code remaining} left, whole again in {@code resetNanos}. */
  public static Decision granted(long limit, long remaining, long resetNanos) {
    return new Decision(Verdict.GRANTED, limit, remaining, seconds(resetNanos), 0, 0, 0);
  }

  /** A refusal: whole again in {@code resetNanos}, a retry can succeed in {@code retryNanos}. */
  public static Decision refused(Verdict verdict, long limit, long resetNanos, long retryNanos) {
    return new Decision(
        verdict, limit, 0, seconds(resetNanos), Math.max(1, seconds(retryNanos)), 0, 0);
  }

  /** The same decision, telling how much of its quota window is used. */
  public Decision withQuotaUse(long used, long quotaLimit) {
    return new Decision(
        verdict, limit, remaining, resetSeconds, retryAfterSeconds, used, quotaLimit);
  }

  /**
   * Of two granted decisions (rate and quota), the one the client meets first: fewer remaining,
   * then the later reset.
   */
  public static Decision tighter(Decision a, Decision b) {
    if (a.remaining != b.remaining) {
      return a.remaining < b.remaining ? a : b;
    }
    return a.resetSeconds >= b.resetSeconds ? a : b;
  }

  /** Whole seconds, rounded up: a client that waits this long is never early. */
  static long seconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos - 1) / 1_000_000_000L + 1;
  }
}
