#!/usr/bin/env bash
# What storing the events file costs: the CPU time of the event indexer's threads (xecure-index and
# xecure-index-catch-up, from /proc) per request, for a bounded valid-key load and the idle time
# after it in which the store catches up (the idle-class thread does most of its work then). The
# gateway is started as the shared harness starts a product (warmed up on CPUs 0 and 1, then pinned
# to CPU 1 with the nginx upstream; wrk on CPU 0, 32 connections).
#
#   bench/indexer-cost.sh                      # ROUNDS=2 DURATION=10 AFTER=20
#   XECURE_JAR=/tmp/a.jar bench/indexer-cost.sh; XECURE_JAR=/tmp/b.jar bench/indexer-cost.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10}
AFTER=${AFTER:-20}
JAVA_OPTS=${JAVA_OPTS--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19400} GW_PORT=${GW_PORT:-18480} ADMIN_PORT=${ADMIN_PORT:-18481}
ensure_jar
open_work indexer-cost
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 10000
valid=$(sed -n 500p "$work/keys.txt")
gw=$(start_gateway "$work" "$UP_PORT" "$GW_PORT" "$ADMIN_PORT" true)
pids+=("$gw")
load() { # SECONDS -> requests
  timeout --foreground -k 5 $(($1 + 30)) taskset -c 0 wrk -t1 -c32 -d"$1s" \
    -H "X-API-Key: $valid" "http://127.0.0.1:$GW_PORT/" | awk '/requests in/ { print $1 }'
}
# CPU ticks (1/100 s) of the indexer's threads
indexer_ticks() {
  local t
  for t in /proc/"$gw"/task/*; do
    if [[ $(cat "$t/comm" 2> /dev/null) == xecure-index* ]]; then
      sed 's/.*) //' "$t/stat" | awk '{ print $12 + $13 }'
    fi
  done | awk '{ s += $1 } END { print s + 0 }'
}
load 20 > /dev/null
sleep 15 # the warm-up's events stored
taskset -a -p -c 1 "$gw" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  a=$(indexer_ticks)
  n=$(load "$DURATION")
  b=$(indexer_ticks)
  sleep "$AFTER"
  c=$(indexer_ticks)
  echo "round $r: $n requests; the indexer's CPU $(((b - a) * 10)) ms during the load and" \
    "$(((c - b) * 10)) ms in the ${AFTER} s after: $(awk -v t=$((c - a)) -v n="$n" \
    'BEGIN { printf "%.2f", t * 10000 / n }') us a request"
done
