#!/usr/bin/env bash
# Load test: in one run and against the same upstream (nginx answering {"ok":true}), measures
# req/s and p50/p99 latency for the upstream directly, the gateway with a valid header key, and
# the gateway answering wrong keys; plus the gateway's start-up time with an empty store.
# wrk runs on CPU 0; upstream and gateway share CPU 1 (as in ../shared/bench). Everything listens
# on 127.0.0.1; each wrk run is bounded by -d and by timeout. Prints a Markdown table.
#
#   bench/load.sh                  # DURATION=10 CONNS=32 WARMUP=30 KEYS=10000 EVENTS=true ACCESS_LOG=false
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
WARMUP=${WARMUP:-30}
KEYS=${KEYS:-10000}
EVENTS=${EVENTS:-true}
ACCESS_LOG=${ACCESS_LOG:-false}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=19000 GW_PORT=18080 ADMIN_PORT=18081

for tool in wrk nginx curl; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk nginx curl >/dev/null; break; }
done
ensure_jar

open_work load

pids+=("$(start_upstream "$work" "$UP_PORT")")

write_keys "$work/keys.txt" "$KEYS"
valid=$(sed -n "$((KEYS / 2))p" "$work/keys.txt")
invalid=$(random_key)

write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" "$ACCESS_LOG"
t0=$(date +%s.%N)
# shellcheck disable=SC2086
taskset -c 1 java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$work/gw/xecure.yaml" > "$work/gw.log" 2>&1 &
gw=$!
pids+=($gw)
wait_health "$ADMIN_PORT" 60
startup=$(echo "$(date +%s.%N) - $t0" | bc)
seed_keys "$ADMIN_PORT" "$work/keys.txt"

hdr() { printf 'X-API-Key: %s' "$1"; }
run_wrk() { # name url header
  local out
  out=$(timeout $((DURATION + 15)) taskset -c 0 wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency \
    ${3:+-H "$3"} "$2")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %-22s | %10s | %8s | %8s | %10s |\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

# warm the JIT on both CPUs, then pin back to CPU 1 for measuring
taskset -a -p -c 0,1 "$gw" >/dev/null
timeout $((WARMUP + 10)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" -H "$(hdr "$valid")" "http://127.0.0.1:$GW_PORT/" >/dev/null
timeout 15 wrk -t1 -c"$CONNS" -d5s -H "$(hdr "$invalid")" "http://127.0.0.1:$GW_PORT/" >/dev/null
taskset -a -p -c 1 "$gw" >/dev/null

echo
echo "## xecure load test, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1)."
echo "wrk -t1 -c$CONNS -d${DURATION}s on CPU 0; upstream nginx and gateway on CPU 1; $KEYS keys; events: $EVENTS; access log: $ACCESS_LOG; JVM: $JAVA_OPTS."
echo "Gateway start-up to /health 200 with an empty store: ${startup}s."
echo
echo '| scenario               |      req/s |  p50     |  p99     | non-2xx    |'
echo '|------------------------|-----------:|---------:|---------:|-----------:|'
sleep 0.5; run_wrk "upstream direct" "http://127.0.0.1:$UP_PORT/"
sleep 0.5; run_wrk "gateway, valid key" "http://127.0.0.1:$GW_PORT/" "$(hdr "$valid")"
sleep 0.5; run_wrk "gateway, wrong key" "http://127.0.0.1:$GW_PORT/" "$(hdr "$invalid")"
echo
echo "RSS of the gateway after the run: $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$gw/status)"
