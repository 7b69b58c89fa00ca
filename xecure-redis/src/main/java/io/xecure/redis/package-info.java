/**
 * Cluster state in Redis (SPEC §8): rate limits and quotas ({@link
 * io.xecure.redis.RedisLimiterStore}), the brute-force guard's failures and blocks ({@link
 * io.xecure.redis.RedisFailureLedger}) and the traffic the {@code key_shared} and {@code
 * usage_spike} detectors watch ({@link io.xecure.redis.RedisTraffic}), shared by every node.
 *
 * <p>All of it goes through one {@link io.xecure.redis.RedisLink}: one pipelined connection, every
 * call bounded in time, and a per-node fallback while Redis does not answer.
 */
@NullMarked
package io.xecure.redis;

import org.jspecify.annotations.NullMarked;
