#!/usr/bin/env bash
# Large bodies through the gateway: the nginx upstream serves SIZE random bytes at /big, which wrk
# (CPU 0, 16 connections, 10 s after a 20 s warm-up) fetches with a valid key through the gateway
# (CPU 1 with the upstream); with UPLOAD=true wrk POSTs SIZE bytes instead (with Content-Length,
# streamed upstream unread, as a key in a header lets it) and nginx answers {"ok":true}. Prints
# req/s, mean latency and the gateway's CPU per request (from /proc). Each jar of JARS is measured
# ROUNDS times, alternating, each on a fresh start. Everything listens on 127.0.0.1; every run is
# bounded.
#
#   bench/bodies.sh                                         # SIZE=65536 ROUNDS=2 JARS=$XECURE_JAR
#   JARS="/tmp/before.jar /tmp/after.jar" SIZE=1048576 bench/bodies.sh
#   UPLOAD=true bench/bodies.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SIZE=${SIZE:-65536} ROUNDS=${ROUNDS:-2} UPLOAD=${UPLOAD:-false}
ensure_jar
JARS=${JARS:-$XECURE_JAR}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19730} GW_PORT=${GW_PORT:-18800} ADMIN_PORT=${ADMIN_PORT:-18801}
open_work bodies
head -c "$SIZE" /dev/urandom > "$work/big.bin"
# nginx's worker runs as another user: it must be able to read the file
chmod 755 "$work"
chmod 644 "$work/big.bin"
pids+=("$(start_upstream "$work" "$UP_PORT" "location = /big { default_type application/octet-stream; alias $work/big.bin; } location = /up { client_max_body_size 0; return 200 '{\"ok\":true}'; }")")
path=/big lua=()
if [[ $UPLOAD == true ]]; then
  path=/up
  printf 'wrk.method = "POST"\nwrk.body = string.rep("x", %d)\nwrk.headers["Content-Type"] = "application/octet-stream"\n' "$SIZE" > "$work/upload.lua"
  lua=(-s "$work/upload.lua")
fi
write_keys "$work/keys.txt" 1000
valid=$(sed -n 500p "$work/keys.txt")
write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" false false
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
echo "| round | jar | $([[ $UPLOAD == true ]] && echo upload || echo download) bytes | req/s | mean | gateway CPU µs/request | non-2xx | ERROR lines |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for ((r = 1; r <= ROUNDS; r++)); do
  for jar in $JARS; do
    rm -rf "$work/gw/data"
    # shellcheck disable=SC2086
    taskset -c 1 java $JAVA_OPTS -jar "$jar" serve --config "$work/gw/xecure.yaml" > "$work/gw.log" 2>&1 &
    gw=$!
    pids+=($gw)
    wait_health "$ADMIN_PORT" 60
    seed_keys "$ADMIN_PORT" "$work/keys.txt" 2> /dev/null
    timeout 40 taskset -c 0 wrk -t1 -c16 -d20s "${lua[@]}" -H "X-API-Key: $valid" "http://127.0.0.1:$GW_PORT$path" > /dev/null
    t0=$(ticks $gw)
    out=$(timeout 30 taskset -c 0 wrk -t1 -c16 -d10s "${lua[@]}" -H "X-API-Key: $valid" "http://127.0.0.1:$GW_PORT$path")
    t1=$(ticks $gw)
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    mean=$(awk '/Latency/ {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    cpu=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.1f", d * 1e6 / hz / n}')
    echo "| $r | $(basename "$jar") | $SIZE | $rps | $mean | $cpu | ${non2xx:-0} | $(grep -c ERROR "$work/gw.log" || true) |"
    kill -TERM $gw
    wait $gw 2> /dev/null || true
  done
done
