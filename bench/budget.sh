#!/usr/bin/env bash
# Where a request's CPU goes, side by side with nginx: user and system CPU per request (µs) of
# every process on the measured core (the nginx upstream, nginx with the shared harness's key map,
# our gateway), pinned as ../shared/bench/run.sh pins them (wrk on CPU 0, everything else on CPU 1).
# User time is the proxy's own code; system time is mostly the loopback TCP stack, which a proxy
# pays for its two sends and two receives per request (the sender also pays the receiver's TCP work
# on loopback) and for its context switches. From /proc/PID/task/*/stat around bounded wrk runs;
# the JIT compiler threads are left out (warm-up, not the cost of a request).
#
#   bench/budget.sh                    # ROUNDS=2 DURATION=10 WARMUP=30 EVENTS=true
#   EVENTS=false XECURE_JAR=/tmp/other.jar bench/budget.sh
#   FLOOR=true EVENTS=false bench/budget.sh   # plus netty-floor: Netty alone (io.xecure.bench.NettyFloor)
#   GW2=true GW2_JAR=/tmp/new.jar GW2_LABEL=xecure-new bench/budget.sh  # A/B: a second gateway
# (On 2026-12-06 GW2 ran the second gateway on Vert.x's server, gateway.server: vertx, since removed.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-30}
EVENTS=${EVENTS:-true}
FLOOR=${FLOOR:-false}
FLOOR_PORT=${FLOOR_PORT:-18382}
GW2=${GW2:-false}
GW2_PORT=${GW2_PORT:-18383} ADMIN2_PORT=${ADMIN2_PORT:-18384}
GW2_LABEL=${GW2_LABEL:-xecure-b}
BENCH_JAR=${BENCH_JAR:-$BENCH_ROOT/xecure-bench/target/benchmarks.jar}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19300} KA_PORT=${KA_PORT:-19301} GW_PORT=${GW_PORT:-18380} ADMIN_PORT=${ADMIN_PORT:-18381}
ensure_jar
open_work budget
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 10000
valid=$(sed -n 500p "$work/keys.txt")
wrong=$(random_key)

# nginx with the key map, as the shared harness configures its nginx-keyauth target
pids+=("$(start_keyauth_nginx "$work/ka" "$work/keys.txt" "$UP_PORT" "$KA_PORT")")

# With two gateways, each is idle on the measured core while the other is measured, and its event
# store (in the idle scheduling class) gets no CPU: after a minute behind, the default
# events.max_store_lag, it catches up at normal priority and takes half the core from the gateway
# being measured (2026-12-07: the same jar twice, 31k against 59k; bench/results/coarse-clock-2026-12-07.md).
# An A/B compares request paths, so both get an hour's bound; a lone gateway keeps the default.
lag_bound=
if [[ $GW2 == true ]]; then lag_bound="max_store_lag: 1h"; fi

EVENTS_EXTRA=$lag_bound write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" false
# shellcheck disable=SC2086
taskset -c 1 java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$work/gw/xecure.yaml" > "$work/gw.log" 2>&1 &
gw=$!
pids+=($gw)
wait_health "$ADMIN_PORT" 60
seed_keys "$ADMIN_PORT" "$work/keys.txt" 2> /dev/null
gw2=
if [[ $GW2 == true ]]; then
  EVENTS_EXTRA=$lag_bound write_config "$work/gw2" "$GW2_PORT" "$ADMIN2_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" false
  # shellcheck disable=SC2086
  taskset -c 1 java $JAVA_OPTS -jar "${GW2_JAR:-$XECURE_JAR}" serve --config "$work/gw2/xecure.yaml" > "$work/gw2.log" 2>&1 &
  gw2=$!
  pids+=($gw2)
  wait_health "$ADMIN2_PORT" 60
  seed_keys "$ADMIN2_PORT" "$work/keys.txt" 2> /dev/null
fi

worker_of() { # nginx pid file -> its worker's pid
  local master i w=
  for ((i = 0; i < 50; i++)); do
    master=$(cat "$1" 2> /dev/null || true)
    [[ -n $master ]] && w=$(pgrep -P "$master" | head -1 || true)
    [[ -n $w ]] && break
    sleep 0.1
  done
  echo "$w"
}
floor=
if [[ $FLOOR == true ]]; then
  [[ -f $BENCH_JAR ]] || (cd "$BENCH_ROOT" && ./mvnw -B -q -DskipTests -Dspotless.check.skip install) >&2
  # shellcheck disable=SC2086
  taskset -c 1 java $JAVA_OPTS -cp "$BENCH_JAR" io.xecure.bench.NettyFloor "$FLOOR_PORT" "$UP_PORT" "$work/keys.txt" > "$work/floor.log" 2>&1 &
  floor=$!
  pids+=($floor)
fi

up=$(worker_of "$work/nginx.pid")
ka=$(worker_of "$work/ka/nginx.pid")
[[ -n $up && -n $ka ]] || { echo "nginx workers not found" >&2; exit 1; }

ticks() { # pid -> "user system" clock ticks of every thread but the JIT compilers'
  local u=0 s=0 t c f
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2> /dev/null) || continue
    [[ $c == C1\ * || $c == C2\ * ]] && continue
    read -r -a f <<< "$(sed 's/.*) //' "$t/stat" 2> /dev/null)" || continue
    u=$((u + f[11])) s=$((s + f[12]))
  done
  echo "$u $s"
}
jit_ticks() { # pid -> user + system clock ticks of its JIT compiler threads
  local n=0 t c f
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2> /dev/null) || continue
    [[ $c == C1\ * || $c == C2\ * ]] || continue
    read -r -a f <<< "$(sed 's/.*) //' "$t/stat" 2> /dev/null)" || continue
    n=$((n + f[11] + f[12]))
  done
  echo "$n"
}
hz=$(getconf CLK_TCK)
per_req() { echo "($2 - $1) * 1000000 / $hz / $3" | bc -l; }

measure() { # round target port key-label key
  local b0 b1 u0 u1 out n rps p99
  read -r -a u0 <<< "$(ticks "$up")"
  read -r -a b0 <<< "$(ticks "$4")"
  out=$(taskset -c 0 timeout $((DURATION + 15)) wrk -t1 -c32 -d"${DURATION}s" --latency -H "X-API-Key: $6" "http://127.0.0.1:$3/")
  read -r -a u1 <<< "$(ticks "$up")"
  read -r -a b1 <<< "$(ticks "$4")"
  n=$(awk '/requests in/ {print $1}' <<< "$out")
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
  printf '| %s | %-13s | %-5s | %8s | %8s | %6.1f | %6.1f | %6.1f | %6.1f | %6.1f |\n' "$1" "$2" "$5" "$rps" "$p99" \
    "$(per_req "${b0[0]}" "${b1[0]}" "$n")" "$(per_req "${b0[1]}" "${b1[1]}" "$n")" \
    "$(per_req $((b0[0] + b0[1])) $((b1[0] + b1[1])) "$n")" \
    "$(per_req "${u0[0]}" "${u1[0]}" "$n")" "$(per_req "${u0[1]}" "${u1[1]}" "$n")"
}

# warm-up: the gateway's JIT (on both CPUs, as the harness lets a target warm up), then nginx
for t in /proc/"$gw"/task/*; do taskset -p -c 0,1 "${t##*/}" > /dev/null 2>&1 || true; done
timeout $((WARMUP + 10)) wrk -t1 -c32 -d"${WARMUP}s" -H "X-API-Key: $valid" "http://127.0.0.1:$GW_PORT/" > /dev/null
timeout 15 wrk -t1 -c32 -d3s -H "X-API-Key: $wrong" "http://127.0.0.1:$GW_PORT/" > /dev/null
for t in /proc/"$gw"/task/*; do taskset -p -c 1 "${t##*/}" > /dev/null 2>&1 || true; done
if [[ -n $floor ]]; then # warmed as the gateway is
  for t in /proc/"$floor"/task/*; do taskset -p -c 0,1 "${t##*/}" > /dev/null 2>&1 || true; done
  timeout $((WARMUP + 10)) wrk -t1 -c32 -d"${WARMUP}s" -H "X-API-Key: $valid" "http://127.0.0.1:$FLOOR_PORT/" > /dev/null
  timeout 15 wrk -t1 -c32 -d3s -H "X-API-Key: $wrong" "http://127.0.0.1:$FLOOR_PORT/" > /dev/null
  for t in /proc/"$floor"/task/*; do taskset -p -c 1 "${t##*/}" > /dev/null 2>&1 || true; done
fi
if [[ -n $gw2 ]]; then # warmed as the first gateway is
  for t in /proc/"$gw2"/task/*; do taskset -p -c 0,1 "${t##*/}" > /dev/null 2>&1 || true; done
  timeout $((WARMUP + 10)) wrk -t1 -c32 -d"${WARMUP}s" -H "X-API-Key: $valid" "http://127.0.0.1:$GW2_PORT/" > /dev/null
  timeout 15 wrk -t1 -c32 -d3s -H "X-API-Key: $wrong" "http://127.0.0.1:$GW2_PORT/" > /dev/null
  for t in /proc/"$gw2"/task/*; do taskset -p -c 1 "${t##*/}" > /dev/null 2>&1 || true; done
fi
taskset -c 0 timeout 15 wrk -t1 -c32 -d3s -H "X-API-Key: $valid" "http://127.0.0.1:$KA_PORT/" > /dev/null

jit0=$(jit_ticks "$gw")
echo "| round | target | key | req/s | p99 | user µs/req | system µs/req | total µs/req | upstream user | upstream system |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
for ((r = 1; r <= ROUNDS; r++)); do
  measure "$r" nginx-keyauth "$KA_PORT" "$ka" valid "$valid"
  measure "$r" xecure "$GW_PORT" "$gw" valid "$valid"
  [[ -z $gw2 ]] || measure "$r" "$GW2_LABEL" "$GW2_PORT" "$gw2" valid "$valid"
  [[ -z $floor ]] || measure "$r" netty-floor "$FLOOR_PORT" "$floor" valid "$valid"
  measure "$r" nginx-keyauth "$KA_PORT" "$ka" wrong "$wrong"
  measure "$r" xecure "$GW_PORT" "$gw" wrong "$wrong"
  [[ -z $gw2 ]] || measure "$r" "$GW2_LABEL" "$GW2_PORT" "$gw2" wrong "$wrong"
  [[ -z $floor ]] || measure "$r" netty-floor "$FLOOR_PORT" "$floor" wrong "$wrong"
done
echo
# left out of the figures above; still compiling after the warm-up would be CPU taken from requests
echo "gateway JIT compiler threads during the measured rounds: $((($(jit_ticks "$gw") - jit0) * 1000 / hz)) ms of CPU"
echo "events: $EVENTS; JVM: $JAVA_OPTS; $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg)"
grep -c ' ERROR ' "$work/gw.log" | sed 's/^/ERROR lines in the gateway log: /' || true
[[ -z $gw2 ]] || grep -c ' ERROR ' "$work/gw2.log" | sed 's/^/ERROR lines in the second gateway log: /' || true
