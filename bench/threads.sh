#!/usr/bin/env bash
# Who takes the measured core from the event loop: the gateway started as ../shared/bench starts a
# product (on CPU 1 alone, so that the JVM sizes itself for one CPU: one event loop; then on CPUs 0
# and 1 while it warms up, then every thread pinned to CPU 1 with the nginx upstream; wrk on CPU 0,
# 32 connections), then for each bounded wrk run: req/s and latency
# percentiles, and per gateway thread its CPU, its time runnable but waiting for the CPU and its
# number of turns on it (/proc/PID/task/*/schedstat), how often the event loop was preempted and
# the upstream woke (/proc/.../status's context switches), the collector's pauses and the JVM's other
# safepoints (-Xlog), and with PERF=true (needs perf) which threads ran while the event loop
# waited more than 0.5 ms for the CPU, woken or preempted (perf sched, 2 s in the middle of each run).
#
#   bench/threads.sh                        # RUNS=2 KEYS="valid wrong" EVENTS=true WARMUP=30
#   PERF=true KEYS=valid bench/threads.sh
#   JAVA_OPTS="-Xmx512m -XX:+UseSerialGC -XX:ActiveProcessorCount=2" bench/threads.sh  # two loops
#                                           # on the one core (before 2026-12-07 this script's default)
#   JAVA_OPTS="-Xmx6g -Xmn5g -XX:+UseSerialGC" WARMUP=20 bench/threads.sh  # most runs without a
#                                           # young collection: the latencies without the collector
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-2}
KEYS=${KEYS:-valid wrong}
EVENTS=${EVENTS:-true}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-10}
PERF=${PERF:-false}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19400} GW_PORT=${GW_PORT:-18480} ADMIN_PORT=${ADMIN_PORT:-18481}
ensure_jar
open_work threads
upstream=$(start_upstream "$work" "$UP_PORT")
pids+=("$upstream")
write_keys "$work/keys.txt" 10000
valid=$(sed -n 500p "$work/keys.txt")
wrong=$(random_key)
gw=$(JAVA_OPTS="$JAVA_OPTS -Xlog:gc,safepoint:file=$work/gc.log:uptime" \
  start_gateway "$work" "$UP_PORT" "$GW_PORT" "$ADMIN_PORT" "$EVENTS")
pids+=($gw)
cat > "$work/pct.lua" << 'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA
load() { # KEY SECONDS -> wrk output
  timeout --foreground -k 5 $(($2 + 30)) taskset -c 0 wrk -t1 -c32 -d"$2s" --latency \
    -s "$work/pct.lua" -H "X-API-Key: $1" "http://127.0.0.1:$GW_PORT/"
}
load "$valid" "$WARMUP" > /dev/null
load "$wrong" 5 > /dev/null
taskset -a -p -c 1 "$gw" > /dev/null

# tid name cpu_ticks run_ns wait_ns turns, one line a thread
snapshot() {
  local t n s w
  for t in /proc/"$gw"/task/*; do
    # a thread may end between the listing and the reads: skip it
    n=$(tr ' ' '_' < "$t/comm" 2> /dev/null) || continue
    read -r -a s <<< "$(sed 's/.*) //' "$t/stat" 2> /dev/null)" || continue
    read -r -a w < "$t/schedstat" 2> /dev/null || continue
    [[ ${#s[@]} -gt 12 && ${#w[@]} -gt 2 ]] || continue
    echo "${t##*/} $n $((s[11] + s[12])) ${w[0]} ${w[1]} ${w[2]}"
  done | sort
}

# the event loop's involuntary context switches (preempted) and the upstream nginx worker's
# voluntary ones (each a sleep, then a wake-up: by the gateway's flushes to it)
switches() {
  local loop worker
  loop=$(grep -l eventloo /proc/"$gw"/task/*/comm | head -1)
  worker=$(ps -o pid= --ppid "$upstream" | head -1 | tr -d ' ')
  echo "$(awk '/^nonvoluntary_ctxt_switches/ { print $2 }' "${loop%/comm}/status")" \
    "$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$worker/status")"
}

# the collector's pauses and the other safepoints in the last SECONDS of the log. Not the
# safepoints' "At safepoint" time for the collections: on one CPU it runs on after the threads are
# released, while the VM thread waits for the CPU to take its end time (the event loops, woken
# first, serve requests meanwhile; bench/results/stops-2026-12-06.md), so the pause is the stop.
stops() {
  python3 - "$work/gc.log" "$1" << 'PY'
import re, sys
log, secs = sys.argv[1], float(sys.argv[2])
gc, sp = [], []
for line in open(log):
    m = re.match(r'\[([\d.]+)s\] GC\(\d+\) Pause.* ([\d.]+)ms', line)
    if m: gc.append((float(m.group(1)), float(m.group(2))))
    m = re.match(r'\[([\d.]+)s\] Safepoint "(\w+)".*Reaching safepoint: (\d+) ns.*At safepoint: (\d+) ns', line)
    if m: sp.append((float(m.group(1)), m.group(2), int(m.group(3)) / 1e6, int(m.group(4)) / 1e6))
end = max([t for t, *_ in gc + sp] or [0])
g = [p for t, p in gc if t > end - secs]
s = [(n, r, a) for t, n, r, a in sp if t > end - secs]
o = [a for n, _, a in s if "Collect" not in n]
print("   collector: %d pauses, %.1f ms in all, longest %.1f ms; other safepoints: %d, %.1f ms at them; "
      "reaching safepoints: %.1f ms in all" % (len(g), sum(g), max(g or [0]), len(o), sum(o),
      sum(r for _, r, _ in s)))
PY
}

# which threads ran while the event loop waited more than 0.5 ms for the CPU (perf sched timehist)
delays() {
  perf sched timehist --state -i "$1" 2> /dev/null | python3 -c '
import re, sys, collections
rows, last = [], {}
for line in sys.stdin:
    m = re.match(r"\s*([\d.]+)\s+\[\d+\]\s+(.+?)\[(\d+)[\d/]*\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\S+)", line)
    if m:
        end = float(m.group(1)) * 1000; run = float(m.group(6)); tid = m.group(3)
        # waiting for the CPU: since its wake-up, or since it was preempted (left running, "R")
        delay = float(m.group(4)) if last.get(tid) == "R" else float(m.group(5))
        last[tid] = m.group(7)
        rows.append((end - run, end, re.sub(r"\d+$", "", m.group(2).strip()), tid, delay))
loop = [r for r in rows if "eventloo" in r[2]]
waits = sorted(r[4] for r in loop) or [0]
blame = collections.Counter(); n = 0
for s, e, name, tid, delay in loop:
    if delay <= 0.5: continue
    n += 1
    for s2, e2, n2, tid2, _ in rows:
        if e2 > s - delay and s2 < s and tid2 != tid:
            blame["another event loop" if "eventloo" in n2 else n2] += min(e2, s) - max(s2, s - delay)
print("   event loop waits for the CPU: p99 %.3f ms, p99.9 %.3f ms, longest %.3f ms; %d over 0.5 ms, during which ran: %s" % (
    waits[int(len(waits) * .99)], waits[int(len(waits) * .999)], waits[-1], n,
    ", ".join("%s %.1f ms" % kv for kv in blame.most_common(5)) or "-"))'
}

for r in $(seq 1 "$RUNS"); do
  for k in $KEYS; do
    key=$valid
    [[ $k == wrong ]] && key=$wrong
    sleep 0.5
    snapshot > "$work/before"
    switched=$(switches)
    if [[ $PERF == true ]]; then
      (sleep $((DURATION / 2 - 1)) && perf sched record -C 1 -o "$work/sched.data" -- sleep 2 > /dev/null 2>&1) &
      perfpid=$!
    fi
    load "$key" "$DURATION" > "$work/wrk.txt"
    snapshot > "$work/after"
    read -r loop0 up0 <<< "$switched"
    read -r loop1 up1 <<< "$(switches)"
    echo "== run $r, $k key: $(awk '/Requests\/sec/ {printf "%.0f req/s", $2}' "$work/wrk.txt"), $(grep '^p50' "$work/wrk.txt")"
    join "$work/before" "$work/after" | awk '{
      cpu = ($8 - $3) * 10; run = ($9 - $4) / 1e6; wait = ($10 - $5) / 1e6; turns = $11 - $6
      if (cpu >= 20 || wait >= 50)
        printf "   %-24s CPU %6d ms   waiting for the CPU %7.1f ms   turns %7d   %6.3f ms a turn\n", $2, cpu, wait, turns, turns ? wait / turns : 0 }'
    echo "   event loop preempted $((loop1 - loop0)) times; the upstream's worker woke $((up1 - up0)) times"
    stops "$DURATION"
    if [[ $PERF == true ]]; then
      wait "$perfpid" || true
      delays "$work/sched.data"
    fi
  done
done
echo "ERROR lines in the gateway's log: $(grep -c ERROR "$work/gw.log" || true)"
