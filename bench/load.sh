#!/usr/bin/env bash
# Load test: in one run and against the same upstream (nginx answering {"ok":true}), measures
# req/s, p50/p99 latency and the CPU time per request of the measured server for the upstream
# directly, the gateway with a valid header key, and the gateway answering wrong keys; plus the
# gateway's start-up time with an empty store.
# With TLS=true it then measures HTTPS (issue 9): a throw-away self-signed EC P-256 certificate in
# the work directory, the gateway restarted with gateway.tls, and next to it an nginx terminating
# TLS with the key map of ../shared/bench's nginx-keyauth (valid key: proxy to the same upstream;
# wrong key: 401), each with a valid and a wrong key over HTTPS (keep-alive, TLS 1.3 as wrk and
# both servers negotiate it: printed), and the same nginx over plain HTTP for its own TLS cost.
# wrk runs on CPU 0; upstream, gateway and nginx on CPU 1 (as in ../shared/bench). CPU per
# request: the measured server's threads (JIT compilers left out; for nginx its master and
# workers) from /proc/PID/task/*/stat before and after the wrk run, as bench/cpu.sh; it holds on a
# busy machine where req/s and latency do not. Everything listens on 127.0.0.1; each wrk run is
# bounded by -d and by timeout. Prints Markdown tables.
#
#   bench/load.sh                  # DURATION=10 CONNS=32 WARMUP=30 KEYS=10000 EVENTS=true ACCESS_LOG=false
#   TLS=true bench/load.sh         # plus the HTTPS run, gateway next to nginx
#   UP_PORT=18700 GW_PORT=18780 ADMIN_PORT=18781 NGINX_PORT=18782 NGINX_TLS_PORT=18783 TLS=true bench/load.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=${DURATION:-10}
CONNS=${CONNS:-32}
WARMUP=${WARMUP:-30}
KEYS=${KEYS:-10000}
EVENTS=${EVENTS:-true}
ACCESS_LOG=${ACCESS_LOG:-false}
TLS=${TLS:-false}
NGINX_WARMUP=${NGINX_WARMUP:-5}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19000} GW_PORT=${GW_PORT:-18080} ADMIN_PORT=${ADMIN_PORT:-18081}
NGINX_PORT=${NGINX_PORT:-18082} NGINX_TLS_PORT=${NGINX_TLS_PORT:-18083}

for tool in wrk nginx curl openssl; do
  command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk nginx curl openssl >/dev/null; break; }
done
ensure_jar

open_work load

upstream=$(start_upstream "$work" "$UP_PORT")
pids+=("$upstream")

write_keys "$work/keys.txt" "$KEYS"
valid=$(sed -n "$((KEYS / 2))p" "$work/keys.txt")
invalid=$(random_key)

start_gateway() { # DIR [TLS_DIR]: the gateway on CPU 1, seeded with the keys; sets gw and startup
  write_config "$1" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" "$ACCESS_LOG" "${2:-}"
  local t0
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  taskset -c 1 java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$1/xecure.yaml" > "$1.log" 2>&1 &
  gw=$!
  pids+=($gw)
  wait_health "$ADMIN_PORT" 60
  startup=$(echo "$(date +%s.%N) - $t0" | bc)
  seed_keys "$ADMIN_PORT" "$work/keys.txt"
}

hdr() { printf 'X-API-Key: %s' "$1"; }

# warm the JIT on both CPUs, then pin back to CPU 1 for measuring
warm_gateway() { # BASE_URL
  taskset -a -p -c 0,1 "$gw" >/dev/null
  timeout $((WARMUP + 10)) wrk -t1 -c"$CONNS" -d"${WARMUP}s" -H "$(hdr "$valid")" "$1" >/dev/null
  timeout 15 wrk -t1 -c"$CONNS" -d5s -H "$(hdr "$invalid")" "$1" >/dev/null
  taskset -a -p -c 1 "$gw" >/dev/null
}

# user + system ticks of every thread of the PIDs but the JIT compilers' (their work is warm-up)
ticks() {
  local sum=0 p t c
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      c=$(cat "$t/comm" 2>/dev/null) || continue
      [[ $c == C1\ * || $c == C2\ * ]] && continue
      sum=$((sum + $(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)))
    done
  done
  echo "$sum"
}
hz=$(getconf CLK_TCK)
nginx_pids() { echo "$1"; ps -o pid= --ppid "$1"; } # master and workers

run_wrk() { # name url header pid...: one measured run, CPU µs per request of the pids
  local name=$1 url=$2 header=$3 out t0 t1
  shift 3
  t0=$(ticks "$@")
  out=$(timeout $((DURATION + 15)) taskset -c 0 wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency \
    ${header:+-H "$header"} "$url")
  t1=$(ticks "$@")
  local rps p50 p99 non2xx n cpu
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=-
  if ((${n:-0} > 0)); then cpu=$(printf '%.1f' "$(echo "($t1 - $t0) * 1000000 / $hz / $n" | bc -l)"); fi
  printf '| %-26s | %10s | %8s | %8s | %10s | %10s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}" "$cpu"
}
table_head() {
  echo '| scenario                   |      req/s |  p50     |  p99     | non-2xx    | CPU µs/req |'
  echo '|----------------------------|-----------:|---------:|---------:|-----------:|-----------:|'
}

start_gateway "$work/gw"
warm_gateway "http://127.0.0.1:$GW_PORT/"

echo
echo "## xecure load test, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1)."
echo "wrk -t1 -c$CONNS -d${DURATION}s on CPU 0; upstream nginx and gateway on CPU 1; $KEYS keys; events: $EVENTS; access log: $ACCESS_LOG; JVM: $JAVA_OPTS."
echo "Gateway start-up to /health 200 with an empty store: ${startup}s. Load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
table_head
sleep 0.5; run_wrk "upstream direct" "http://127.0.0.1:$UP_PORT/" "" $(nginx_pids "$upstream")
sleep 0.5; run_wrk "gateway, valid key" "http://127.0.0.1:$GW_PORT/" "$(hdr "$valid")" "$gw"
sleep 0.5; run_wrk "gateway, wrong key" "http://127.0.0.1:$GW_PORT/" "$(hdr "$invalid")" "$gw"
echo
echo "RSS of the gateway after the run: $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$gw/status)"

[[ $TLS == true ]] || exit 0

# ---- HTTPS: the gateway with gateway.tls next to nginx terminating TLS with the same key map ----
make_cert "$work/tls"
kill -TERM "$gw"
wait "$gw" 2>/dev/null || true
start_gateway "$work/gw-tls" "$work/tls"
warm_gateway "https://127.0.0.1:$GW_PORT/"

# nginx with ../shared/bench's nginx-keyauth key map, on a plain and a TLS port, one worker, CPU 1
keyauth=$(start_keyauth_nginx "$work/keyauth" "$work/keys.txt" "$UP_PORT" "$NGINX_PORT" "$NGINX_TLS_PORT" "$work/tls")
pids+=($keyauth)
for ((i = 0; i < 100; i++)); do
  [[ $(curl -ks -o /dev/null -w '%{http_code}' -H "$(hdr "$valid")" "https://127.0.0.1:$NGINX_TLS_PORT/") == 200 ]] && break
  sleep 0.1
done
timeout $((NGINX_WARMUP + 10)) wrk -t1 -c"$CONNS" -d"${NGINX_WARMUP}s" -H "$(hdr "$valid")" "https://127.0.0.1:$NGINX_TLS_PORT/" >/dev/null
timeout 15 wrk -t1 -c"$CONNS" -d3s -H "$(hdr "$invalid")" "https://127.0.0.1:$NGINX_TLS_PORT/" >/dev/null

negotiated() { # port -> "TLSv1.3 TLS_AES_256_GCM_SHA384", as an OpenSSL client with wrk's defaults gets
  timeout 5 openssl s_client -connect "127.0.0.1:$1" -brief </dev/null 2>&1 |
    awk -F': ' '/^Protocol version/ {p=$2} /^Ciphersuite/ {c=$2} END {print p, c}'
}
status() { curl -ks -o /dev/null -w '%{http_code}' -H "$(hdr "$2")" "$1"; }

echo
echo "### HTTPS: the gateway with gateway.tls next to nginx terminating TLS, $(date -u '+%H:%M UTC')"
echo
echo "Self-signed EC P-256 certificate; keep-alive (32 handshakes a run). Negotiated (openssl s_client, wrk's OpenSSL $(openssl version | cut -d' ' -f2)):" \
  "gateway $(negotiated "$GW_PORT"), nginx $(negotiated "$NGINX_TLS_PORT")."
echo "Answers valid/wrong: gateway $(status "https://127.0.0.1:$GW_PORT/" "$valid")/$(status "https://127.0.0.1:$GW_PORT/" "$invalid")," \
  "nginx $(status "https://127.0.0.1:$NGINX_TLS_PORT/" "$valid")/$(status "https://127.0.0.1:$NGINX_TLS_PORT/" "$invalid")." \
  "nginx $(nginx -v 2>&1 | cut -d/ -f2), 1 worker, key map of $KEYS keys; gateway start-up ${startup}s."
echo "Load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
table_head
gwu="https://127.0.0.1:$GW_PORT/" ngu="https://127.0.0.1:$NGINX_TLS_PORT/"
sleep 0.5; run_wrk "gateway https, valid key" "$gwu" "$(hdr "$valid")" "$gw"
sleep 0.5; run_wrk "nginx https, valid key" "$ngu" "$(hdr "$valid")" $(nginx_pids "$keyauth")
sleep 0.5; run_wrk "gateway https, wrong key" "$gwu" "$(hdr "$invalid")" "$gw"
sleep 0.5; run_wrk "nginx https, wrong key" "$ngu" "$(hdr "$invalid")" $(nginx_pids "$keyauth")
sleep 0.5; run_wrk "nginx http, valid key" "http://127.0.0.1:$NGINX_PORT/" "$(hdr "$valid")" $(nginx_pids "$keyauth")
sleep 0.5; run_wrk "nginx http, wrong key" "http://127.0.0.1:$NGINX_PORT/" "$(hdr "$invalid")" $(nginx_pids "$keyauth")
echo
echo "RSS after the run: gateway $(awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$gw/status); load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
