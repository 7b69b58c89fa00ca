#!/usr/bin/env bash
# HTTP/2 over TLS through the gateway, next to nginx terminating TLS and HTTP/2 with the shared
# harness's key map (nginx-keyauth), with h2load (Debian's nghttp2-client): CONNS connections,
# STREAMS concurrent streams on each, a valid and then a wrong key, events as EVENTS. The measured
# server and the nginx upstream on CPU 1, h2load on CPU 0; the gateway warmed on both CPUs first, as
# load.sh does. Everything listens on 127.0.0.1; every run is bounded by -D and by timeout. Prints a
# Markdown table.
#
#   bench/h2.sh        # DURATION=10 CONNS=8 STREAMS=16 WARMUP=30 EVENTS=true
#   XECURE_JAR=/tmp/other.jar bench/h2.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DURATION=${DURATION:-10} CONNS=${CONNS:-8} STREAMS=${STREAMS:-16} WARMUP=${WARMUP:-30}
EVENTS=${EVENTS:-true}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19600} GW_PORT=${GW_PORT:-18680} ADMIN_PORT=${ADMIN_PORT:-18681}
KA_PORT=${KA_PORT:-18682} KA_TLS_PORT=${KA_TLS_PORT:-18683}
for tool in h2load nginx openssl; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq nghttp2-client nginx openssl >/dev/null; break; }
done
ensure_jar
open_work h2
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 1000
valid=$(sed -n 500p "$work/keys.txt")
wrong=$(random_key)
make_cert "$work/tls"

h2() { # PORT SECONDS KEY -> h2load's summary lines
  taskset -c 0 timeout $(($2 + 20)) h2load -D "$2" -c "$CONNS" -m "$STREAMS" -H "X-API-Key: $3" \
    "https://127.0.0.1:$1/" 2>&1
}
row() { # SERVER KEY OUTPUT
  local rps mean max codes
  rps=$(sed -nE 's/^finished in .*, ([0-9.]+) req\/s.*/\1/p' <<<"$3")
  mean=$(awk '/^time for request:/ {print $6}' <<<"$3")
  max=$(awk '/^time for request:/ {print $5}' <<<"$3")
  codes=$(sed -nE 's/^status codes: (.*)/\1/p' <<<"$3")
  printf '| %-13s | %-5s | %10s | %8s | %8s | %s |\n' "$1" "$2" "$rps" "$mean" "$max" "$codes"
}

echo "## HTTP/2 over TLS, $(date -u '+%Y-%m-%d %H:%M') UTC"
echo
echo "Machine: $(nproc) CPUs ($(lscpu | sed -nE 's/^Model name: +//p')), $(java -version 2>&1 | head -1)."
echo "h2load -c$CONNS -m$STREAMS -D${DURATION}s on CPU 0; upstream nginx and gateway on CPU 1; events: $EVENTS; JVM: $JAVA_OPTS."
echo
echo "| server        | key   |      req/s | mean     | max      | status codes |"
echo "|---------------|-------|-----------:|---------:|---------:|--------------|"
write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" false "$work/tls"
# shellcheck disable=SC2086
taskset -c 0,1 java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$work/gw/xecure.yaml" \
  > "$work/gw.log" 2>&1 &
gw=$!
pids+=($gw)
wait_health "$ADMIN_PORT" 60
seed_keys "$ADMIN_PORT" "$work/keys.txt" 2>/dev/null
h2 "$GW_PORT" "$WARMUP" "$valid" > /dev/null
h2 "$GW_PORT" 5 "$wrong" > /dev/null
taskset -a -p -c 1 "$gw" > /dev/null
row xecure valid "$(h2 "$GW_PORT" "$DURATION" "$valid")"
row xecure wrong "$(h2 "$GW_PORT" "$DURATION" "$wrong")"
echo "<!-- xecure: ERROR lines in the gateway log: $(grep -c ERROR "$work/gw.log" || true) -->"
kill -TERM "$gw"
wait "$gw" 2>/dev/null || true

# nginx with the same key map, terminating TLS and HTTP/2, on CPU 1 (start_keyauth_nginx pins it)
pids+=("$(NGINX_KEEPALIVE_REQUESTS=100000000 start_keyauth_nginx "$work/ka" "$work/keys.txt" "$UP_PORT" "$KA_PORT" "$KA_TLS_PORT" "$work/tls")")
sleep 1
h2 "$KA_TLS_PORT" 5 "$valid" > /dev/null
row nginx-keyauth valid "$(h2 "$KA_TLS_PORT" "$DURATION" "$valid")"
row nginx-keyauth wrong "$(h2 "$KA_TLS_PORT" "$DURATION" "$wrong")"
