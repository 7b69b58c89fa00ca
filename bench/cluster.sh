#!/usr/bin/env bash
# Propagation of a revocation across a cluster (issue 8): three gateway nodes on the machine's
# PostgreSQL (XECURE_TEST_PG_URL, default jdbc:postgresql://127.0.0.1:5432/test, a fresh schema per
# run); a key revoked through node A's admin API, nodes B and C polled until both refuse it,
# ROUNDS times (default 500), with pushes (LISTEN/NOTIFY) and with pushes off (poll every 2 s).
# Prints p50, p99 and max; the figures also land in xecure-server/target/cluster-bench.txt.
#
#   bench/cluster.sh            # 500 rounds each
#   ROUNDS=100 bench/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export XECURE_BENCH_CLUSTER=1
export XECURE_BENCH_ROUNDS="${ROUNDS:-500}"
./mvnw -B -o -q -pl xecure-server -am verify -DskipITs -Dspotless.check.skip=true \
  -Dtest=ClusterPropagationBench -Dsurefire.failIfNoSpecifiedTests=false
cat xecure-server/target/cluster-bench.txt
