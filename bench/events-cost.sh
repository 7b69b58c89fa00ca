#!/usr/bin/env bash
# What recording events costs: in one run and against the same upstream (nginx answering
# {"ok":true}), the same load on a gateway with events off, then on a fresh gateway with events on
# (the default store: H2, request events in DuckDB, + JSON-lines file), ROUNDS times alternating. Reports req/s and p50/p99 for a valid and
# a wrong header key, and how many events the gateway recorded (lines of the events file) against
# how many requests it answered.
# wrk runs on CPU 0; upstream and gateway share CPU 1 (as in load.sh). Prints a Markdown table.
#
#   bench/events-cost.sh    # DURATION=10 CONNS=32 WARMUP=15 KEYS=1000 ROUNDS=1 FILE=true, ports 19100/18180/18181
# Run it on an otherwise idle machine: it measures a difference of a few per cent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
WARMUP=${WARMUP:-15}
KEYS=${KEYS:-1000}
ROUNDS=${ROUNDS:-1}
FILE=${FILE:-true}   # false: events go to the store only, no JSON-lines file
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19100} GW_PORT=${GW_PORT:-18180} ADMIN_PORT=${ADMIN_PORT:-18181}

for tool in wrk nginx curl; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk nginx curl >/dev/null; break; }
done
ensure_jar

work=$(mktemp -d /tmp/xecure-events-cost.XXXXXX)
pids=()
cleanup() {
  [[ -f $work/gw.pid ]] && kill -TERM "$(cat "$work/gw.pid")" 2>/dev/null
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pids+=("$(start_upstream "$work" "$UP_PORT")")

write_keys "$work/keys.txt" "$KEYS"
valid=$(sed -n "$((KEYS / 2))p" "$work/keys.txt")
invalid=$(random_key)
hdr() { printf 'X-API-Key: %s' "$1"; }

sent=0
hz=$(getconf CLK_TCK)
# writer_ticks PID: CPU ticks of the gateway's recording threads so far: the event writer and,
# with an events file, the indexer storing it (xecure-index, xecure-index-catch-up); 0 when
# events are off
writer_ticks() {
  local t sum=0
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == xecure-events || $(cat "$t/comm" 2>/dev/null) == xecure-index* ]] &&
      sum=$((sum + $(awk '{print $14 + $15}' "$t/stat")))
  done
  echo "$sum"
}
# run_wrk SECONDS URL HEADER: sets $rps $p50 $p99 and $writer (the event writer's CPU µs per
# request answered) and adds the requests wrk completed to $sent
run_wrk() {
  local out n t0
  t0=$(writer_ticks "${gw:-0}")
  out=$(timeout $(($1 + 15)) taskset -c 0 wrk -t1 -c"$CONNS" -d"${1}s" --latency -H "$3" "$2")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  sent=$((sent + n))
  writer=$(echo "($(writer_ticks "${gw:-0}") - $t0) * 1000000 / $hz / $n" | bc -l | xargs printf '%.2f')
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
}

# one_gateway EVENTS ROUND: a fresh gateway and store, warmed up, measured, stopped cleanly;
# appends one line to $work/results
one_gateway() {
  local events=$1 round=$2 dir="$work/gw-$1-$2" gw ok bad recorded=0
  write_config "$dir" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$events"
  if [[ $FILE != true ]]; then
    sed -i 's/, file: "[^"]*"//' "$dir/xecure.yaml"
  fi
  # shellcheck disable=SC2086
  taskset -c 1 java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$dir/xecure.yaml" > "$dir/gw.log" 2>&1 &
  gw=$!
  echo "$gw" > "$work/gw.pid"
  wait_health "$ADMIN_PORT" 60 || { tail -20 "$dir/gw.log" >&2; return 1; }
  seed_keys "$ADMIN_PORT" "$work/keys.txt" 2>/dev/null
  sent=0
  # warm the JIT on both CPUs, then pin back to CPU 1 for measuring; wrong keys too, or their
  # first measured seconds are spent compiling (a fifth of the CPU, measured)
  taskset -a -p -c 0,1 "$gw" >/dev/null
  run_wrk "$WARMUP" "http://127.0.0.1:$GW_PORT/" "$(hdr "$valid")"
  run_wrk "$WARMUP" "http://127.0.0.1:$GW_PORT/" "$(hdr "$(random_key)")"
  taskset -a -p -c 1 "$gw" >/dev/null
  sleep 0.5
  run_wrk "$DURATION" "http://127.0.0.1:$GW_PORT/" "$(hdr "$valid")"
  ok="$rps $p50 $p99 $writer"
  sleep 0.5
  run_wrk "$DURATION" "http://127.0.0.1:$GW_PORT/" "$(hdr "$invalid")"
  bad="$rps $p50 $p99 $writer"
  kill -TERM "$gw"
  wait "$gw" || true
  rm -f "$work/gw.pid"
  if [[ $events == true && $FILE == true ]]; then
    recorded=$(cat "$dir"/data/events*.jsonl 2>/dev/null | wc -l)
  fi
  echo "$events $round $ok $bad $sent $recorded" >> "$work/results"
}

for ((r = 1; r <= ROUNDS; r++)); do
  one_gateway false "$r"
  one_gateway true "$r"
done

echo
echo "## xecure cost of recording events, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1)."
echo "wrk -t1 -c$CONNS -d${DURATION}s on CPU 0; nginx and gateway on CPU 1; $KEYS keys; H2 store, request events in DuckDB; events file: $FILE; JVM: $JAVA_OPTS."
echo
echo 'Writer µs/req: CPU time of the recording threads (event writer, and the indexer storing the events file) per request answered, from /proc, over the measured run; the indexer may store part of it after the run.'
echo
echo '| events | round | valid key req/s | p50 | p99 | writer µs/req | wrong key req/s | p50 | p99 | writer µs/req | requests | events recorded |'
echo '|--------|------:|----------------:|----:|----:|----:|----------------:|----:|----:|----:|---------:|----------------:|'
while read -r line; do
  # shellcheck disable=SC2086
  set -- $line
  printf '| %-6s | %5s | %15s | %s | %s | %s | %15s | %s | %s | %s | %8s | %15s |\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${11}" "${12}"
done < "$work/results"
awk '
  { split($0, f, " "); if (f[1] == "true") { on += f[3]; onb += f[7]; k++ } else { off += f[3]; offb += f[7] } }
  END { if (k > 0 && off > 0) printf "\nEvents on vs off: valid key %+.1f%%, wrong key %+.1f%% (means over %d rounds).\n", (on / off - 1) * 100, (onb / offb - 1) * 100, k }
' "$work/results"
