#!/usr/bin/env bash
# CPU time the gateway spends per request (µs), from /proc/PID/stat before and after a bounded wrk
# run: a figure that holds on a busy machine, where req/s and latency do not (other processes
# take the CPU, not our code). Valid key, wrong key and (KEYLESS=true) no upstream at all.
# Starts the nginx upstream and the gateway on 127.0.0.1; wrk -t1 -c32; everything bounded.
#
#   bench/cpu.sh                      # DURATION=10 WARMUP=20 EVENTS=true
#   XECURE_JAR=/path/to/other/xecure.jar bench/cpu.sh     # the same for another build
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-20}
EVENTS=${EVENTS:-true}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19200} GW_PORT=${GW_PORT:-18280} ADMIN_PORT=${ADMIN_PORT:-18281}
ensure_jar
open_work cpu
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 1000
valid=$(sed -n 500p "$work/keys.txt")
write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" false
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$work/gw/xecure.yaml" > "$work/gw.log" 2>&1 &
gw=$!
pids+=($gw)
wait_health "$ADMIN_PORT" 60
seed_keys "$ADMIN_PORT" "$work/keys.txt"
# every thread but the JIT compilers': their work is warm-up, not the cost of a request
ticks() {
  local sum=0 t c
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) || continue
    [[ $c == C1\ * || $c == C2\ * ]] && continue
    sum=$((sum + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)))
  done
  echo "$sum"
}
hz=$(getconf CLK_TCK)
measure() { # name key
  local t0 t1 out n
  t0=$(ticks "$gw")
  out=$(timeout $((DURATION + 15)) wrk -t1 -c32 -d"${DURATION}s" --latency -H "X-API-Key: $2" "http://127.0.0.1:$GW_PORT/")
  t1=$(ticks "$gw")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '| %-10s | %9s | %8.1f |\n' "$1" "$n" "$(echo "($t1 - $t0) * 1000000 / $hz / $n" | bc -l)"
}
timeout $((WARMUP + 10)) wrk -t1 -c32 -d"${WARMUP}s" -H "X-API-Key: $valid" "http://127.0.0.1:$GW_PORT/" >/dev/null
timeout 15 wrk -t1 -c32 -d5s -H "X-API-Key: $(random_key)" "http://127.0.0.1:$GW_PORT/" >/dev/null
echo "| scenario   |  requests | CPU µs/request |"
echo "|------------|----------:|---------:|"
measure valid "$valid"
measure wrong "$(random_key)"
echo "events: $EVENTS; JVM: $JAVA_OPTS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
