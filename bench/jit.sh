#!/usr/bin/env bash
# What the JIT compilers do inside a measured window: the gateway started and warmed as
# ../shared/bench warms a product (WARMUP seconds of valid keys, then WARMUP_WRONG of wrong keys, on
# CPUs 0 and 1), every thread then pinned to CPU 1 with the nginx upstream (wrk on CPU 0, 32
# connections), then DURATION seconds of KEY load: req/s and p99, each gateway thread's user and
# system CPU in the window, and from a JFR recording started with the JVM (only the compilation
# and deoptimisation events, with stacks) the compilations and deoptimisations of the window.
# Found the valid-key path compiled again in the window after the wrong keys of the warm-up
# (bench/results/jit-and-headers-2026-12-08.md). Bounded runs only; needs python3 and a JDK.
#
#   bench/jit.sh                                  # KEY=valid WARMUP=40 WARMUP_WRONG=3 DURATION=10
#   EXTRA_OPTS=-XX:PerMethodTrapLimit=0 bench/jit.sh   # JVM options added to the gateway's
set -euo pipefail
source "$(dirname "$0")/lib.sh"
KEY=${KEY:-valid} WARMUP=${WARMUP:-40} WARMUP_WRONG=${WARMUP_WRONG:-3} DURATION=${DURATION:-10}
UP_PORT=${UP_PORT:-19500} GW_PORT=${GW_PORT:-19510} ADMIN_PORT=${ADMIN_PORT:-19511}
ensure_jar
open_work jit
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 10000
valid=$(sed -n 500p "$work/keys.txt")
wrong=$(random_key)
key=$([[ $KEY == wrong ]] && echo "$wrong" || echo "$valid")
cat > "$work/jit.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="jit">
  <event name="jdk.Compilation"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.Deoptimization"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
</configuration>
JFC
gw=$(JAVA_OPTS="-Xmx512m -XX:+UseSerialGC -XX:StartFlightRecording=name=jit,settings=$work/jit.jfc ${EXTRA_OPTS:-}" \
  start_gateway "$work" "$UP_PORT" "$GW_PORT" "$ADMIN_PORT" true)
pids+=("$gw")
load() { # KEY SECONDS [--latency]
  timeout --foreground -k 5 $(($2 + 30)) taskset -c 0 wrk -t1 -c32 -d"$2s" ${3:-} \
    -H "X-API-Key: $1" "http://127.0.0.1:$GW_PORT/"
}
load "$valid" "$WARMUP" > /dev/null
load "$wrong" "$WARMUP_WRONG" > /dev/null
taskset -a -p -c 1 "$gw" > /dev/null
sleep 0.5
cpu() { # per thread name: user and system clock ticks
  local t c st rest
  for t in /proc/"$gw"/task/*; do
    c=$(tr ' ' _ < "$t/comm" 2>/dev/null) || continue
    read -r st < "$t/stat" 2>/dev/null || continue
    rest=${st##*) }
    # shellcheck disable=SC2086
    set -- $rest
    echo "$c ${12} ${13}"
  done | awk '{ u[$1] += $2; s[$1] += $3 } END { for (k in u) print k, u[k], s[k] }' | sort
}
cpu > "$work/cpu0"
t0=$(date +%s.%N)
load "$key" "$DURATION" --latency > "$work/wrk.txt"
t1=$(date +%s.%N)
cpu > "$work/cpu1"
jcmd "$gw" JFR.dump name=jit filename="$work/jit.jfr" > /dev/null
rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
echo "$KEY key: $rps req/s, p99 $(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")"
hz=$(getconf CLK_TCK)
echo "CPU in the window (ms, user + system; µs a request):"
join "$work/cpu0" "$work/cpu1" | awk -v hz="$hz" -v n="$rps" -v d="$DURATION" '{
  u = ($4 - $2) * 1000 / hz; s = ($5 - $3) * 1000 / hz
  if (u + s >= 20) printf "   %-18s %6d + %6d ms   %5.2f + %5.2f µs\n", $1, u, s, u * 1000 / (n * d), s * 1000 / (n * d) }'
jfr print --json --events jdk.Compilation,jdk.Deoptimization "$work/jit.jfr" > "$work/jit.json"
python3 - "$work/jit.json" "$t0" "$t1" <<'PY'
import collections, datetime, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
def when(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "")[:26]).replace(
        tzinfo=datetime.timezone.utc).timestamp()
def name(m):
    return m["type"]["name"].split("/")[-1] + "." + m["name"]
compiled, traps = [], collections.Counter()
for e in events:
    v = e["values"]
    if not t0 <= when(v["startTime"]) <= t1:
        continue
    if e["type"] == "jdk.Compilation":
        d = v["duration"]
        ms = float(d[2:-1]) * 1000 if d.startswith("PT") and d.endswith("S") else 0.0
        compiled.append((ms, v["compileLevel"], name(v["method"])))
    else:
        traps[(name(v["method"]), v["reason"], v["action"])] += 1
c2 = sum(ms for ms, level, _ in compiled if level == 4)
print(f"compilations in the window: {len(compiled)}, {c2:.0f} ms of them at C2 (wall clock); the longest:")
for ms, level, n in sorted(compiled, reverse=True)[:12]:
    print(f"   {ms:7.1f} ms  tier {level}  {n}")
print(f"deoptimisations in the window: {sum(traps.values())}")
for (n, reason, action), k in traps.most_common(12):
    print(f"   {k:3d}  {n}  {reason} ({action})")
PY
