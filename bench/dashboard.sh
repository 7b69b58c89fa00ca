#!/usr/bin/env bash
# The console's admin API calls on a large store (issue 10): fills a PostgreSQL schema with
# DashboardData (10M request events over 30 days, the usage rows a year of that traffic leaves:
# 7 days of minutes, 60 days of hours, a year of days; 120,000 keys; skipped when already filled),
# starts a gateway on it with retention off (nothing is deleted during the run) and times every
# call the console's pages make with DashboardQueries. The table lands in
# bench/results/dashboard-DATE.md.
#
#   bench/dashboard.sh
#   STORE_URL='jdbc:postgresql://127.0.0.1:5432/test?currentSchema=other' EVENTS=1000000 bench/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
STORE_URL=${STORE_URL:-jdbc:postgresql://127.0.0.1:5432/test?currentSchema=xecure_dash_bench}
EVENTS=${EVENTS:-10000000}
BENCH_JAR=xecure-bench/target/benchmarks.jar
if [[ ! -f $BENCH_JAR || ! -f $XECURE_JAR ]]; then
  ./mvnw -B -o -q -pl xecure-bench -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true
fi
df -h "$BENCH_ROOT" >&2
nice -n 19 java -cp "$BENCH_JAR" io.xecure.bench.DashboardData "$STORE_URL" "$EVENTS"

work=$(mktemp -d)
trap 'kill "$gw" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
admin=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/xecure.yaml" <<YAML
gateway: { port: $port, bind: 127.0.0.1 }
admin: { port: $admin, bind: 127.0.0.1, token: "$BENCH_ADMIN_TOKEN" }
store: { url: "$STORE_URL", user: postgres }
keys: { prefix: "xk_", pepper: "bench-pepper-of-32-bytes-for-hmac" }
events: { enabled: true, file: "$work/events.jsonl", spool_dir: "$work/spool" }
# retention off: the data is as old as the run's start, and nothing may be deleted while it is timed
retention: { events: 36500d, usage: 36500d, usage_hours: 36500d, usage_minutes: 36500d }
apis:
  - { name: users, path: /users, upstream: "http://127.0.0.1:9" }
  - { name: orders, path: /orders, upstream: "http://127.0.0.1:9" }
  - { name: billing, path: /billing, upstream: "http://127.0.0.1:9" }
  - { name: search, path: /search, upstream: "http://127.0.0.1:9" }
  - { name: media, path: /media, upstream: "http://127.0.0.1:9" }
YAML
java -jar "$XECURE_JAR" serve --config "$work/xecure.yaml" > "$work/gw.log" 2>&1 &
gw=$!
# /health may answer 503 (the placeholder upstreams are down): wait for the admin API itself
for ((i = 0; i < 1200; i++)); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" "http://127.0.0.1:$admin/admin/apis" 2>/dev/null && break
  sleep 0.1
done
java -cp "$BENCH_JAR" io.xecure.bench.DashboardQueries "http://127.0.0.1:$admin" "$BENCH_ADMIN_TOKEN" \
  "${LABEL:-PostgreSQL, $EVENTS events}"
