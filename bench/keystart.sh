#!/usr/bin/env bash
# Time from `java -jar xecure.jar serve` to GET /health answering 200 (the key index loaded) on a
# store already filled by KeyIndexLoad (bench/README.md "Start-up with a million keys"), then ask
# the gateway once with a valid key of that store (not 401: the upstream, which is not there,
# answers 502) and once with a wrong one (401). Everything on 127.0.0.1, bounded.
#
#   STORE_URL=jdbc:h2:file:/tmp/keystart/h2/xecure KEYS=/tmp/keystart/h2-keys.txt bench/keystart.sh
#   STORE_URL='jdbc:postgresql://127.0.0.1:5432/test?currentSchema=keystart' STORE_USER=postgres \
#     KEYS=/tmp/keystart/pg-keys.txt XECURE_JAR=/tmp/other.jar bench/keystart.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${STORE_URL:?a store filled by KeyIndexLoad}" "${KEYS:?its plaintexts file (-Dxecure.bench.keys)}"
STORE_USER=${STORE_USER:-}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
GW_PORT=${GW_PORT:-18601} ADMIN_PORT=${ADMIN_PORT:-18602} UP_PORT=${UP_PORT:-18603}
LIMIT=${LIMIT:-120}
ensure_jar
open_work keystart
cat > "$work/xecure.yaml" <<YAML
gateway: { port: $GW_PORT, bind: 127.0.0.1 }
admin: { port: $ADMIN_PORT, bind: 127.0.0.1, token: "$BENCH_ADMIN_TOKEN" }
store: { url: "$STORE_URL"${STORE_USER:+, user: "$STORE_USER"} }
keys: { prefix: "xk_", pepper: "bench-pepper-not-a-secret-0123456789" }
events: { enabled: false }
apis:
  - name: users
    path: /users
    upstream: http://127.0.0.1:$UP_PORT
    key_auth: { in: [ "header:X-API-Key" ] }
YAML
start=$(date +%s%N)
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$XECURE_JAR" serve --config "$work/xecure.yaml" > "$work/gw.log" 2>&1 &
gw=$!
pids+=("$gw")
ready=
for ((i = 0; i < LIMIT * 50; i++)); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$ADMIN_PORT/health" 2>/dev/null; then
    ready=$(($(date +%s%N) - start))
    break
  fi
  kill -0 "$gw" 2>/dev/null || break
  sleep 0.02
done
if [[ -z $ready ]]; then
  echo "not ready within ${LIMIT}s" >&2
  tail -20 "$work/gw.log" >&2
  exit 1
fi
cpu=$(awk '{print $14 + $15}' "/proc/$gw/stat")
valid=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $(head -1 "$KEYS")" "http://127.0.0.1:$GW_PORT/users")
wrong=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: xk_not-a-key-of-this-store-0000000" "http://127.0.0.1:$GW_PORT/users")
printf 'ready in %d ms (process CPU %d ms, all threads); %s; valid key -> %s, wrong key -> %s; load average %s\n' \
  $((ready / 1000000)) $((cpu * 1000 / $(getconf CLK_TCK))) \
  "$(grep -o 'key index loaded: .*' "$work/gw.log" | head -1)" "$valid" "$wrong" "$(cut -d' ' -f1-3 /proc/loadavg)"
[[ -z ${SHOW_LOG:-} ]] || cut -c1-160 "$work/gw.log" >&2
