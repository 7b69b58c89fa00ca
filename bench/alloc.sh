#!/usr/bin/env bash
# Two gateways side by side, measured in alternating order: bytes allocated per request (the young
# generation's collections times eden plus eden's change, from jstat), CPU per request (every thread
# but the JIT compilers', from /proc), req/s and p99. For changes too small to show in throughput on
# a noisy machine, whose allocation does show. Both gateways and the nginx upstream on CPU 1, wrk on
# CPU 0, as ../shared/bench pins them; each gateway warmed on both CPUs first. Bounded runs only.
#
#   JAR_A=/tmp/before.jar JAR_B=/tmp/after.jar bench/alloc.sh     # ROUNDS=4 DURATION=10 KEY=valid
#   KEY=wrong EVENTS=true JAR_A=... JAR_B=... bench/alloc.sh
#   JAR_A=x.jar JAR_B=x.jar OPTS_B='-Dio.netty.allocator.type=pooled' bench/alloc.sh  # JVM options
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-4} DURATION=${DURATION:-10} WARMUP=${WARMUP:-20} KEY=${KEY:-valid}
EVENTS=${EVENTS:-false}
JAR_A=${JAR_A:-$XECURE_JAR} JAR_B=${JAR_B:-$XECURE_JAR}
# a fixed young generation, so that eden's size is one number for the whole run
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -Xmn128m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19800}
command -v jstat >/dev/null || { echo "jstat (a JDK) is needed" >&2; exit 1; }
open_work alloc
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 10000
valid=$(sed -n 500p "$work/keys.txt")
wrong=$(random_key)
key=$([[ $KEY == wrong ]] && echo "$wrong" || echo "$valid")

start() { # LABEL JAR OPTS PORT ADMIN_PORT
  write_config "$work/$1" "$4" "$5" "http://127.0.0.1:$UP_PORT" "$EVENTS" false
  # shellcheck disable=SC2086
  taskset -c 1 java $JAVA_OPTS $3 -jar "$2" serve --config "$work/$1/xecure.yaml" > "$work/$1.log" 2>&1 &
  echo $! > "$work/$1.pid"
  pids+=($!)
  wait_health "$5" 60
  seed_keys "$5" "$work/keys.txt" 2> /dev/null
}
start A "$JAR_A" "${OPTS_A:-}" 18880 18881
start B "$JAR_B" "${OPTS_B:-}" 18890 18891
port() { [[ $1 == A ]] && echo 18880 || echo 18890; }

ticks() { # pid -> user + system clock ticks of every thread but the JIT compilers'
  local n=0 t c f
  for t in /proc/"$1"/task/*; do
    c=$(cat "$t/comm" 2> /dev/null) || continue
    [[ $c == C1\ * || $c == C2\ * ]] && continue
    read -r -a f <<< "$(sed 's/.*) //' "$t/stat" 2> /dev/null)" || continue
    n=$((n + f[11] + f[12]))
  done
  echo "$n"
}
young() { # pid -> "eden-capacity-KB eden-used-KB young-collections" (JDK 17's jstat -gc columns)
  jstat -gc "$1" | awk 'NR == 2 {print $5, $6, $13}'
}

for g in A B; do
  pid=$(cat "$work/$g.pid")
  for t in /proc/"$pid"/task/*; do taskset -p -c 0,1 "${t##*/}" > /dev/null 2>&1 || true; done
  timeout $((WARMUP + 10)) wrk -t1 -c32 -d"${WARMUP}s" -H "X-API-Key: $valid" "http://127.0.0.1:$(port $g)/" > /dev/null
  timeout 15 wrk -t1 -c32 -d5s -H "X-API-Key: $wrong" "http://127.0.0.1:$(port $g)/" > /dev/null
  for t in /proc/"$pid"/task/*; do taskset -p -c 1 "${t##*/}" > /dev/null 2>&1 || true; done
done

hz=$(getconf CLK_TCK)
echo "A: $JAR_A ${OPTS_A:-}; B: $JAR_B ${OPTS_B:-}; $KEY key, events $EVENTS, $JAVA_OPTS"
echo
echo "| round | gateway | req/s | p99 | CPU µs/request | bytes allocated/request |"
echo "|---|---|---:|---:|---:|---:|"
for ((r = 1; r <= ROUNDS; r++)); do
  order="A B"
  ((r % 2 == 0)) && order="B A"
  for g in $order; do
    pid=$(cat "$work/$g.pid")
    read -r ec e0 y0 <<< "$(young "$pid")"
    c0=$(ticks "$pid")
    out=$(taskset -c 0 timeout $((DURATION + 15)) wrk -t1 -c32 -d"${DURATION}s" --latency -H "X-API-Key: $key" "http://127.0.0.1:$(port $g)/")
    c1=$(ticks "$pid")
    read -r _ e1 y1 <<< "$(young "$pid")"
    n=$(awk '/requests in/ {print $1}' <<< "$out")
    rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")
    p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
    printf '| %s | %s | %s | %s | %.1f | %.0f |\n' "$r" "$g" "$rps" "$p99" \
      "$(echo "($c1 - $c0) * 1000000 / $hz / $n" | bc -l)" \
      "$(echo "(($y1 - $y0) * $ec + $e1 - $e0) * 1024 / $n" | bc -l)"
  done
done
