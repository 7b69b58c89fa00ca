#!/usr/bin/env bash
# PRODUCT_CMD for ../shared/bench (the side-by-side harness): starts our gateway on
# 127.0.0.1:$BENCH_PORT routing / to $BENCH_UPSTREAM_URL, imports $BENCH_KEYS_FILE through the
# bulk import, then stays in the foreground until the harness stops it (TERM is passed on).
#
#   cp -r ../shared/bench /tmp/peer-bench
#   TARGETS="direct nginx-keyauth scg product" PRODUCT_NAME=xecure \
#     PRODUCT_CMD="exec $PWD/bench/product.sh" /tmp/peer-bench/run.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ensure_jar

port=${BENCH_PORT:-9003}
admin=${BENCH_ADMIN_PORT:-9013}
work=$(mktemp -d /tmp/xecure-product.XXXXXX)
write_config "$work" "$port" "$admin" "${BENCH_UPSTREAM_URL:-http://127.0.0.1:9000}" "${BENCH_EVENTS:-true}" "${BENCH_ACCESS_LOG:-false}"

# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} -jar "$XECURE_JAR" serve --config "$work/xecure.yaml" &
gw=$!
trap 'kill -TERM $gw 2>/dev/null; wait $gw; rm -rf "$work"' EXIT TERM INT
wait_health "$admin" 60
seed_keys "$admin" "${BENCH_KEYS_FILE:?BENCH_KEYS_FILE is required}"
wait $gw
