#!/usr/bin/env bash
# Crash test (issue 9): wrk load on the gateway in front of nginx, the gateway killed with SIGKILL
# after LOAD seconds, started again on the same data directory; prints what was answered, what the
# events file holds and what the store holds (GET /admin/events, paged) once it has caught up with
# the file after the restart (the store reads the file behind the writer: at most 60 s is waited).
# wrk runs on CPU 0; upstream and gateway share CPU 1, as in bench/load.sh. Everything listens on
# 127.0.0.1; every wait is bounded. Prints a Markdown table.
#
#   bench/crash.sh                 # LOAD=7 CONNS=32 RUNS=1
set -euo pipefail
source "$(dirname "$0")/lib.sh"

LOAD=${LOAD:-7}
CONNS=${CONNS:-32}
RUNS=${RUNS:-1}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
# not the ports of bench/load.sh: other benchmarks may run on the same machine
UP_PORT=${UP_PORT:-19100} GW_PORT=${GW_PORT:-18180} ADMIN_PORT=${ADMIN_PORT:-18181}

for tool in wrk nginx curl jq; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk nginx curl jq >/dev/null; break; }
done
ensure_jar

open_work crash

pids+=("$(start_upstream "$work" "$UP_PORT")")

start_gateway() { # LOG; sets gw to the pid
  # shellcheck disable=SC2086
  taskset -c 1 java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$work/gw/xecure.yaml" >> "$1" 2>&1 &
  gw=$!
  pids+=("$gw")
}

# stored_events: request events in the store, and how many distinct (node, request id) among them
stored_events() {
  local cursor="" page total=0 ids="$work/ids.txt"
  : > "$ids"
  for ((i = 0; i < 10000; i++)); do
    page=$(curl -fsS "http://127.0.0.1:$ADMIN_PORT/admin/events?type=request&limit=1000${cursor:+&cursor=$cursor}" \
      -H "Authorization: Bearer $BENCH_ADMIN_TOKEN")
    jq -r '.items[] | .node + " " + .request_id' <<<"$page" >> "$ids"
    cursor=$(jq -r '.next_cursor // empty' <<<"$page")
    [[ -z $cursor ]] && break
  done
  echo "$(wc -l < "$ids") $(sort -u "$ids" | wc -l)"
}

echo
echo "## xecure crash test, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1)."
echo "wrk -t1 -c$CONNS on CPU 0 for $((LOAD + 3)) s; upstream nginx and gateway on CPU 1; H2 store, request events in DuckDB (events.engine default); JVM: $JAVA_OPTS."
echo "The gateway is killed with SIGKILL $LOAD s into the load, then started again on the same data directory."
echo
echo '| run | answered 2xx | in the file | in the store | distinct in the store | answered, in neither | store caught up after start |'
echo '|----:|-------------:|------------:|-------------:|----------------------:|---------------------:|----------------------------:|'
for ((run = 1; run <= RUNS; run++)); do
  rm -rf "$work/gw"
  write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" true false
  log="$work/gw-$run.log"
  start_gateway "$log"
  wait_health "$ADMIN_PORT" 60
  write_keys "$work/keys.txt" 1
  seed_keys "$ADMIN_PORT" "$work/keys.txt" 2>/dev/null
  key=$(cat "$work/keys.txt")

  timeout $((LOAD + 20)) taskset -c 0 wrk -t1 -c"$CONNS" -d"$((LOAD + 3))s" -H "X-API-Key: $key" \
    "http://127.0.0.1:$GW_PORT/" > "$work/wrk.txt" 2>&1 &
  wrk_pid=$!
  sleep "$LOAD"
  kill -KILL "$gw"
  wait "$gw" 2>/dev/null || true
  wait "$wrk_pid" || true
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
  answered=$((requests - ${non2xx:-0}))
  in_file=$(wc -l < "$work/gw/data/events.jsonl")

  start_gateway "$log"
  started=$(date +%s.%N)
  wait_health "$ADMIN_PORT" 60
  for ((i = 0; i < 120; i++)); do
    read -r in_store distinct < <(stored_events)
    ((in_store >= in_file)) && break
    sleep 0.5
  done
  caught_up=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')
  ((in_store >= in_file)) || caught_up="not within 60 s"
  printf '| %d | %d | %d | %d | %d | %d | %s |\n' "$run" "$answered" "$in_file" "$in_store" "$distinct" \
    "$((answered - in_file))" "$caught_up"
  kill -TERM "$gw"
  wait "$gw" 2>/dev/null || true
done
