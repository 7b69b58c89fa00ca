#!/usr/bin/env bash
# JFR profile of the gateway under the harness's valid-key load (issue 9: profile before
# optimising). Starts the nginx upstream and the gateway on CPU 1 (wrk on CPU 0, as in
# ../shared/bench), warms up on both CPUs, pins back to CPU 1, then records SECONDS of
# `settings=profile` while wrk sends a valid key (or a wrong key with SCENARIO=wrong).
# Writes the recording and a summary (hot methods, allocation by site, GC pauses; read with a
# JDK 21+ `jfr view`, found under /usr/lib/jvm when the default java is older) to OUT.
#
#   bench/profile.sh                                   # OUT=bench/results/profile-DATE
#   SCENARIO=wrong SECONDS_=20 JAVA_OPTS='-Xmx512m -XX:+UseSerialGC' bench/profile.sh
#   TLS=true bench/profile.sh                          # over HTTPS (gateway.tls, throw-away certificate)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCENARIO=${SCENARIO:-valid}
SECS=${SECONDS_:-20}
CONNS=${CONNS:-32}
WARMUP=${WARMUP:-30}
EVENTS=${EVENTS:-true}
TLS=${TLS:-false}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
OUT=${OUT:-$BENCH_ROOT/bench/results/profile-$(date -u +%Y-%m-%d)-$SCENARIO$([[ $TLS == true ]] && echo -tls)}
UP_PORT=${UP_PORT:-19100} GW_PORT=${GW_PORT:-18180} ADMIN_PORT=${ADMIN_PORT:-18181}
ensure_jar
JFR_TOOL=jfr
for j in /usr/lib/jvm/*; do
  if [[ -x $j/bin/jfr ]] && "$j/bin/jfr" help view >/dev/null 2>&1; then JFR_TOOL=$j/bin/jfr; fi
done

open_work profile
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 10000
valid=$(sed -n 5000p "$work/keys.txt")
key=$([[ $SCENARIO == wrong ]] && random_key || echo "$valid")
scheme=http tls_dir=''
if [[ $TLS == true ]]; then
  scheme=https tls_dir=$work/tls
  make_cert "$tls_dir"
fi
write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" false "$tls_dir"
# shellcheck disable=SC2086
taskset -c 1 java $JAVA_OPTS -Xlog:gc:file="$work/gc.log" -jar "$XECURE_JAR" serve --config "$work/gw/xecure.yaml" > "$work/gw.log" 2>&1 &
gw=$!
pids+=($gw)
wait_health "$ADMIN_PORT" 60
seed_keys "$ADMIN_PORT" "$work/keys.txt"
taskset -a -p -c 0,1 "$gw" >/dev/null
timeout $((WARMUP + 10)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" -H "X-API-Key: $key" "$scheme://127.0.0.1:$GW_PORT/" >/dev/null
taskset -a -p -c 1 "$gw" >/dev/null
mkdir -p "$OUT"
jcmd "$gw" JFR.start name=bench settings=profile duration="${SECS}s" filename="$OUT/recording.jfr" >/dev/null
: > "$work/gc.log.mark"; gc_from=$(wc -l < "$work/gc.log")
timeout $((SECS + 15)) taskset -c 0 wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H "X-API-Key: $key" \
  "$scheme://127.0.0.1:$GW_PORT/" > "$OUT/wrk.txt"
sleep 2
tail -n +"$((gc_from + 1))" "$work/gc.log" > "$OUT/gc.log"
{
  echo "# Profile: $SCENARIO key, ${SECS}s, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "JVM: $JAVA_OPTS, $(java -version 2>&1 | head -1); events: $EVENTS; $scheme; gateway and nginx upstream on CPU 1, wrk -c$CONNS on CPU 0."
  echo
  echo '```'
  grep -E 'Requests/sec|Latency|99%|50%' "$OUT/wrk.txt"
  echo "young collections: $(grep -c 'Pause Young' "$OUT/gc.log" || true)"
  echo '```'
  for view in hot-methods allocation-by-site allocation-by-class gc-pauses thread-cpu-load; do
    echo; echo "## $view"; echo; echo '```'
    "$JFR_TOOL" view --width 160 "$view" "$OUT/recording.jfr" 2>&1 | head -40
    echo '```'
  done
} > "$OUT/summary.md"
echo "$OUT/summary.md"
