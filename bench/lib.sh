# Shared by bench/load.sh and bench/product.sh: start a gateway on 127.0.0.1 in front of one
# upstream, and seed it with keys through the admin API's bulk import, as an operator would.
# Everything listens on 127.0.0.1.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XECURE_JAR=${XECURE_JAR:-"$BENCH_ROOT/xecure-server/target/xecure.jar"}
BENCH_ADMIN_TOKEN=${BENCH_ADMIN_TOKEN:-bench-admin-token-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}

ensure_jar() {
  if [[ ! -f $XECURE_JAR ]]; then
    (cd "$BENCH_ROOT" && ./mvnw -B -q -DskipTests -Dspotless.check.skip package) >&2
  fi
}

# write_config DIR GATEWAY_PORT ADMIN_PORT UPSTREAM_URL EVENTS(true|false) [ACCESS_LOG(true|false)]
#   [TLS_DIR]
# The access log is off unless asked for, as nginx's is in the same benchmarks. With TLS_DIR the
# gateway listener serves HTTPS only, with TLS_DIR/cert.pem and TLS_DIR/key.pem (make_cert).
write_config() {
  local dir=$1 port=$2 admin=$3 upstream=$4 events=${5:-true} access_log=${6:-false} tls=${7:-} tls_yaml=''
  if [[ -n $tls ]]; then tls_yaml=", tls: { cert: \"$tls/cert.pem\", key: \"$tls/key.pem\" }"; fi
  mkdir -p "$dir"
  # EVENTS_EXTRA: more settings for the events block, e.g. "max_store_lag: 1h".
  # The brute-force guard is off: a load generator sends millions of wrong keys from one address,
  # which is exactly what the guard blocks (429), and the peers measured beside us have no guard.
  cat > "$dir/xecure.yaml" <<YAML
gateway: { port: $port, bind: 127.0.0.1, brute_force: { enabled: false }$tls_yaml }
admin: { port: $admin, bind: 127.0.0.1, token: "$BENCH_ADMIN_TOKEN" }
store: { url: "jdbc:h2:file:$dir/data/xecure" }
keys: { prefix: "xk_", pepper: "bench-pepper-of-32-bytes-for-hmac" }
events: { enabled: $events, file: "$dir/data/events.jsonl", access_log: $access_log, spool_dir: "$dir/data/spool"${EVENTS_EXTRA:+, $EVENTS_EXTRA} }
apis:
  - name: bench
    path: /
    upstream: $upstream
    key_auth: { in: [ "header:X-API-Key" ] }
YAML
}

# wait_health ADMIN_PORT SECONDS
wait_health() {
  local admin=$1 limit=${2:-60} i
  for ((i = 0; i < limit * 10; i++)); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$admin/health" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "gateway did not become healthy on :$admin within ${limit}s" >&2
  return 1
}

# seed_keys ADMIN_PORT KEYS_FILE: one developer, every line of KEYS_FILE imported as its key
seed_keys() {
  local admin=$1 file=$2 dev
  dev=$(curl -fsS -X POST "http://127.0.0.1:$admin/admin/developers" \
    -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"Bench","email":"bench@example.com"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
  java -jar "$XECURE_JAR" keys import --developer "$dev" --file "$file" \
    --admin-url "http://127.0.0.1:$admin" --token "$BENCH_ADMIN_TOKEN" >&2
}

# start_gateway DIR UPSTREAM_PORT PORT ADMIN_PORT EVENTS(true|false): the gateway with
# write_config's configuration and JAVA_OPTS, started as the shared harness starts a product: on
# CPU 1 alone, so that the JVM sizes itself for one CPU (one event loop, the collector's and the
# compiler's threads), then let onto CPUs 0 and 1 to warm up; its log in DIR/gw.log, healthy and
# seeded with DIR/keys.txt (write_keys); echoes its pid
start_gateway() {
  local dir=$1 upstream=$2 port=$3 admin=$4 events=$5 pid t
  write_config "$dir/gw" "$port" "$admin" "http://127.0.0.1:$upstream" "$events" false
  # shellcheck disable=SC2086
  taskset -c 1 java ${JAVA_OPTS:-} -jar "$XECURE_JAR" serve --config "$dir/gw/xecure.yaml" \
    > "$dir/gw.log" 2>&1 &
  pid=$!
  wait_health "$admin" 60 >&2 || { kill "$pid"; return 1; }
  for t in /proc/"$pid"/task/*; do taskset -p -c 0,1 "${t##*/}" > /dev/null 2>&1 || true; done
  seed_keys "$admin" "$dir/keys.txt" > /dev/null 2>&1 || { kill "$pid"; return 1; }
  echo "$pid"
}

# start_upstream WORK PORT [LOCATIONS]: nginx answering {"ok":true}, one worker, on CPU 1, with
# any extra nginx LOCATIONS blocks (e.g. a route that fails); echoes its pid
start_upstream() {
  local work=$1 port=$2 locations=${3:-}
  cat > "$work/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx.err;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000;
  server { listen 127.0.0.1:$port; default_type application/json; location / { return 200 '{"ok":true}'; } $locations } }
NGINX
  taskset -c 1 nginx -c "$work/nginx.conf" -p "$work" >/dev/null 2>&1 &
  echo $!
}

# make_cert DIR: a throw-away self-signed EC P-256 certificate for 127.0.0.1 and localhost, valid
# one day, as DIR/cert.pem and DIR/key.pem (PKCS#8, unencrypted)
make_cert() {
  mkdir -p "$1"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
}

random_key() { echo "bk_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }

# write_keys FILE N: N random imported-format keys, one a line (as a migrating operator brings them)
write_keys() {
  local file=$1 n=$2 i
  for ((i = 0; i < n; i++)); do random_key; done > "$file"
}

# open_work NAME: sets $work to a fresh /tmp/xecure-NAME.* directory and $pids to an empty list;
# at exit every pid in $pids gets TERM and the directory goes
open_work() {
  work=$(mktemp -d "/tmp/xecure-$1.XXXXXX")
  pids=()
  trap _close_work EXIT
}
_close_work() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# start_keyauth_nginx DIR KEYS_FILE UPSTREAM_PORT PORT [TLS_PORT TLS_DIR]: nginx with the key map
# of ../shared/bench's nginx-keyauth (valid key: proxied to 127.0.0.1:UPSTREAM_PORT with keep-alive;
# any other: 401), one worker, on CPU 1, on PORT and, with TLS_PORT, also over TLS with
# TLS_DIR/cert.pem and key.pem (make_cert), offering HTTP/2 by ALPN there as the gateway does; echoes
# its pid (the master's; DIR/nginx.pid too). Client connections serve 100,000 requests each, as the
# harness's nginx do (NGINX_KEEPALIVE_REQUESTS: h2load does not reconnect)
start_keyauth_nginx() {
  local dir=$1 keys=$2 upstream=$3 port=$4 tls_port=${5:-} tls_dir=${6:-} tls_conf=''
  mkdir -p "$dir/tmp"
  awk '{ printf "    %s 1;\n", $1 }' "$keys" > "$dir/keys.map"
  if [[ -n $tls_port ]]; then
    tls_conf="listen 127.0.0.1:$tls_port ssl http2 backlog=4096;
    ssl_certificate $tls_dir/cert.pem; ssl_certificate_key $tls_dir/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;"
  fi
  cat > "$dir/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $dir/nginx.pid; error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off; server_tokens off; keepalive_requests ${NGINX_KEEPALIVE_REQUESTS:-100000};
  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;
  map_hash_max_size 32768; map_hash_bucket_size 128;
  map \$http_x_api_key \$api_key_valid { default 0; include $dir/keys.map; }
  upstream bench_upstream { server 127.0.0.1:$upstream; keepalive 64; keepalive_requests 100000; }
  server {
    listen 127.0.0.1:$port backlog=4096;
    $tls_conf
    default_type application/json;
    location / {
      if (\$api_key_valid = 0) { return 401 '{"error":"unauthorized"}'; }
      proxy_pass http://bench_upstream; proxy_http_version 1.1; proxy_set_header Connection "";
    }
  }
}
NGINX
  taskset -c 1 nginx -p "$dir/" -c "$dir/nginx.conf" > /dev/null 2>&1 &
  echo $!
}

