#!/usr/bin/env bash
# Soak test (issue 9 proof): SOAK_MINUTES of mixed traffic against the gateway in front of the nginx
# upstream, to show that nothing grows or breaks over time. At once:
#   - wrk with bench/soak.lua: valid keys (70 %), wrong keys (12 %), no key (10 %), and valid keys
#     on a route nginx answers 502 (8 %), run in one-minute slices that give each row its req/s
#     and p99;
#   - SLOW_CLIENTS clients dripping a header line a second until the header timeout cuts them off;
#   - DISCONNECTS clients that close mid-response (a 4 MiB download) or while the upstream still
#     works (a request to the slow route);
#   - TIMEOUTS clients calling the slow route, whose loopback upstream (python3) sleeps past the
#     API's 1 s timeout: 504;
#   - an operator creating a key and revoking the previous one every ADMIN_EVERY seconds.
# Every minute one row: req/s and p99 (wrk), heap after a full GC (jcmd GC.run, then jstat), RSS,
# open files, ERROR lines in the gateway's log so far. The table goes to OUT at the end.
# Everything listens on 127.0.0.1; every client, loop and wrk run ends by the deadline or its own
# timeout; a trap stops all of it and removes the work directory (under /tmp, where the events
# file and the H2 store grow with the traffic: a few GB in 30 minutes at ~10k req/s).
#
#   bench/soak.sh                          # SOAK_MINUTES=30 CONNS=16 KEYS=1000 EVENTS=true
#   SOAK_MINUTES=3 OUT=bench/results/soak-smoke.md NOTE='a smoke run' bench/soak.sh
#   KEEP_LOG=/tmp/soak-gw.log bench/soak.sh   # also keeps the gateway's whole log
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SOAK_MINUTES=${SOAK_MINUTES:-30}
CONNS=${CONNS:-16}
KEYS=${KEYS:-1000}
EVENTS=${EVENTS:-true}
SLOW_CLIENTS=${SLOW_CLIENTS:-4}
DISCONNECTS=${DISCONNECTS:-2}
TIMEOUTS=${TIMEOUTS:-2}
ADMIN_EVERY=${ADMIN_EVERY:-3}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
OUT=${OUT:-$BENCH_ROOT/bench/results/soak-$(date -u +%Y-%m-%d).md}
UP_PORT=${UP_PORT:-19300} SLOW_PORT=${SLOW_PORT:-19301} GW_PORT=${GW_PORT:-18380} ADMIN_PORT=${ADMIN_PORT:-18381}

for tool in wrk nginx curl python3 jcmd jstat; do
  command -v $tool >/dev/null || { echo "soak.sh needs $tool" >&2; exit 1; }
done
for port in $UP_PORT $SLOW_PORT $GW_PORT $ADMIN_PORT; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then
    echo "port $port is in use (set UP_PORT, SLOW_PORT, GW_PORT, ADMIN_PORT)" >&2
    exit 1
  fi
done
ensure_jar
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

open_work soak
trap 'exit 130' INT TERM

# --- upstreams: nginx (200, and 502 on /fail), python3 (/slow sleeps 3 s, /big streams 4 MiB)
pids+=("$(start_upstream "$work" "$UP_PORT" "location /fail { return 502 '{\"error\":\"bad gateway\"}'; }")")
python3 "$BENCH_ROOT/bench/soak_clients.py" upstream "$SLOW_PORT" > "$work/slow-upstream.log" 2>&1 &
pids+=($!)

# --- the gateway: the bench API on nginx, and two routes on the python upstream
write_config "$work/gw" "$GW_PORT" "$ADMIN_PORT" "http://127.0.0.1:$UP_PORT" "$EVENTS" false
cat >> "$work/gw/xecure.yaml" <<YAML
  - name: slow
    path: /slow
    upstream: http://127.0.0.1:$SLOW_PORT
    timeout: 1s
    key_auth: { in: [ "header:X-API-Key" ] }
  - name: big
    path: /big
    upstream: http://127.0.0.1:$SLOW_PORT
    timeout: 30s
    key_auth: { in: [ "header:X-API-Key" ] }
YAML
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$work/gw/xecure.yaml" > "$work/gw.log" 2>&1 &
gw=$!
pids+=($gw)
wait_health "$ADMIN_PORT" 120
write_keys "$work/keys.txt" "$KEYS"
seed_keys "$ADMIN_PORT" "$work/keys.txt"
head -n 100 "$work/keys.txt" > "$work/valid.txt"
valid=$(head -n 1 "$work/valid.txt")

admin() { # METHOD PATH [JSON]
  curl -sS --max-time 5 -X "$1" "http://127.0.0.1:$ADMIN_PORT$2" \
    -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" ${3:+-H 'Content-Type: application/json' -d "$3"}
}
operator_dev=$(admin POST /admin/developers '{"name":"Soak operator","email":"soak@example.com"}' |
  sed -E 's/.*"id":"([^"]+)".*/\1/')

start=$(date +%s)
deadline=$((start + SOAK_MINUTES * 60))

# --- slow, disconnecting and timing-out clients, each bounded by the deadline
python3 "$BENCH_ROOT/bench/soak_clients.py" drip "$GW_PORT" "$SLOW_CLIENTS" "$deadline" > "$work/drip.log" 2>&1 &
pids+=($!)
python3 "$BENCH_ROOT/bench/soak_clients.py" disconnect "$GW_PORT" "$DISCONNECTS" "$deadline" "$valid" > "$work/disconnect.log" 2>&1 &
pids+=($!)
python3 "$BENCH_ROOT/bench/soak_clients.py" timeouts "$GW_PORT" "$TIMEOUTS" "$deadline" "$valid" > "$work/timeouts.log" 2>&1 &
pids+=($!)

# --- an operator: a new key every ADMIN_EVERY seconds, the previous one revoked
(
  created=0 revoked=0 failed=0 previous=
  while (($(date +%s) < deadline)); do
    answer=$(admin POST "/admin/developers/$operator_dev/keys" '{"name":"soak","apis":["*"],"scopes":[]}' 2>&1) || true
    id=$(sed -nE 's/.*"id":"(key_[^"]+)".*/\1/p' <<<"$answer")
    if [[ -n $id ]]; then
      created=$((created + 1))
    else
      failed=$((failed + 1))
      echo "$(date -u +%T) create: ${answer:0:300}" >> "$work/admin-failures.log"
    fi
    if [[ -n $previous ]]; then
      if admin POST "/admin/keys/$previous/revoke" >/dev/null 2>&1; then revoked=$((revoked + 1)); else failed=$((failed + 1)); fi
    fi
    previous=$id
    sleep "$ADMIN_EVERY"
  done
  echo "admin: $created keys created, $revoked revoked, $failed calls failed"
) > "$work/admin.log" 2>&1 &
pids+=($!)

# --- one wrk slice a minute, then the row
row() { # minute wrk-output
  local rps p99 heap rss fds errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$2")
  p99=$(awk '$1=="99%" {print $2}' <<<"$2")
  jcmd "$gw" GC.run >/dev/null
  heap=$(jstat -gc "$gw" | awk 'NR==1 {for (i = 1; i <= NF; i++) col[$i] = i}
    NR==2 {printf "%.1f", ($col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]) / 1024}')
  rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$gw/status")
  fds=$(ls "/proc/$gw/fd" | wc -l)
  errors=$(grep -c ' ERROR ' "$work/gw.log" || true)
  printf '| %6s | %9s | %8s | %11s | %8s | %6s | %6s |\n' "$1" "$rps" "$p99" "$heap" "$rss" "$fds" "$errors"
}

table=$work/table.md
{
  echo '| minute |     req/s |      p99 | heap MiB¹   | RSS MiB  |  fds   | ERROR  |'
  echo '|-------:|----------:|---------:|------------:|---------:|-------:|-------:|'
} > "$table"
cat "$table"
export SOAK_KEYS=$work/valid.txt
for ((m = 1; m <= SOAK_MINUTES; m++)); do
  left=$((deadline - $(date +%s)))
  ((left > 5)) || break
  slice=$((left < 60 ? left : 60))
  out=$(timeout $((slice + 30)) wrk -t1 -c"$CONNS" -d"${slice}s" --timeout 5s --latency \
    -s "$BENCH_ROOT/bench/soak.lua" "http://127.0.0.1:$GW_PORT/")
  row "$m" "$out" | tee -a "$table"
done
wait_for() { # the bounded clients report once the deadline has passed: at most 30 s
  local i
  for ((i = 0; i < 150; i++)); do [[ -s $1 ]] && return 0; sleep 0.2; done
}
for f in drip disconnect timeouts admin; do wait_for "$work/$f.log"; done

{
  echo "# xecure soak, $(date -u '+%Y-%m-%d %H:%M UTC'), $SOAK_MINUTES minutes"
  echo
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average before the run: $load_before; $(java -version 2>&1 | head -1)."
  echo "JVM: $JAVA_OPTS. wrk -t1 -c$CONNS in one-minute slices with bench/soak.lua (valid 70 %, wrong 12 %,"
  echo "missing 10 %, valid on an nginx 502 route 8 %); $KEYS imported keys; events: $EVENTS."
  if [[ -n ${NOTE:-} ]]; then echo; echo "$NOTE"; fi
  echo
  cat "$table"
  echo
  echo "¹ heap used after a full GC (jcmd GC.run, then jstat -gc: S0U+S1U+EU+OU)."
  echo
  echo "Alongside:"
  for f in drip disconnect timeouts admin; do echo "- $(tail -n 1 "$work/$f.log")"; done
  if [[ -s $work/admin-failures.log ]]; then
    echo
    echo "Admin calls that failed (first 5 of $(wc -l < "$work/admin-failures.log")):"
    echo
    echo '```'
    head -n 5 "$work/admin-failures.log"
    echo '```'
  fi
  echo
  echo "ERROR lines in the gateway's log (first 5), then the first one whole (its stack trace):"
  echo
  if grep -q ' ERROR ' "$work/gw.log"; then
    echo '```'
    grep ' ERROR ' "$work/gw.log" | head -n 5
    echo '```'
    echo
    echo '```'
    awk '/ ERROR /{on=1} on && n < 60 {print; n++} on && / (INFO|WARN|DEBUG) /{exit}' "$work/gw.log"
    echo '```'
  else
    echo "None."
  fi
} > "$OUT"
if [[ -n ${KEEP_LOG:-} ]]; then cp "$work/gw.log" "$KEEP_LOG"; fi
echo "wrote $OUT"
