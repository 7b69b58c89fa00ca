/**
 * JMH benchmarks of the key hot path ({@link KeyVerificationBenchmark}) and a heap footprint tool
 * for the in-memory key index ({@link KeyIndexFootprint}). How to run them: {@code
 * bench/README.md}.
 */
@NullMarked
package io.xecure.bench;

import org.jspecify.annotations.NullMarked;
