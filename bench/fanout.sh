#!/usr/bin/env bash
# The change feed at the width of a large cluster (issue 8, docs/scale.md): SUBSCRIBERS (default
# 50) subscribers of one PostgreSQL schema in one process, each with its own LISTEN connection,
# applier, feed thread and key index; a key revoked ROUNDS times (default 200); each round timed
# from the revoke's start to the last subscriber's index holding it revoked. Prints p50, p99, max;
# the line also lands in xecure-server/target/fanout-bench.txt.
#
#   bench/fanout.sh
#   SUBSCRIBERS=90 ROUNDS=500 bench/fanout.sh   # PostgreSQL's default max_connections is 100
set -euo pipefail
cd "$(dirname "$0")/.."
export XECURE_BENCH_FANOUT=1
export XECURE_BENCH_SUBSCRIBERS="${SUBSCRIBERS:-50}"
export XECURE_BENCH_ROUNDS="${ROUNDS:-200}"
./mvnw -B -o -q -pl xecure-server -am verify -DskipITs -Dspotless.check.skip=true \
  -Dtest=FeedFanoutBench -Dsurefire.failIfNoSpecifiedTests=false
cat xecure-server/target/fanout-bench.txt
