#!/usr/bin/env bash
# Where a request's time goes, leg by leg, from a capture of the loopback traffic (tcpdump): the
# gateway (or nginx with the same key map, TARGET=nginx) started as ../shared/bench starts a product
# (warmed up on CPUs 0 and 1, then pinned to CPU 1 with the nginx upstream; wrk on CPU 0, 32
# connections), then one valid-key run whose every request carries a numbered X-Trace header. Each
# request is followed from wrk's write to the gateway (t0), the gateway's write to the upstream
# (t1, matched by X-Trace), the upstream's answer (t2) to the gateway's answer to wrk (t3):
#   in = t1 - t0, upstream = t2 - t1, out = t3 - t2, total = t3 - t0
# then the silences: how often, and how long, the gateway (and the upstream, and wrk) sent nothing
# at all, and the p99 of the requests that no gateway silence over 1 ms touched. Needs tcpdump.
#
#   bench/legs.sh                        # the gateway, events on, the harness's JVM options
#   TARGET=nginx bench/legs.sh           # nginx-keyauth, the same way
#   WRONG_WARMUP=0 bench/legs.sh         # without the wrong-key warm-up (no JIT churn after it)
#
# The capture costs both sides 10-25 % of their rate; compare targets under it, not with the
# harness's figures. wrk's own percentiles are printed too: they add wrk's time to read an answer.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
TARGET=${TARGET:-xecure}
EVENTS=${EVENTS:-true}
WARMUP=${WARMUP:-30}
WRONG_WARMUP=${WRONG_WARMUP:-5}
DURATION=${DURATION:-10}
JAVA_OPTS=${JAVA_OPTS--Xmx512m -XX:+UseSerialGC}
UP_PORT=${UP_PORT:-19400} GW_PORT=${GW_PORT:-18480} ADMIN_PORT=${ADMIN_PORT:-18481}
command -v tcpdump > /dev/null || { echo "legs.sh needs tcpdump (apt-get install tcpdump)" >&2; exit 2; }
open_work legs
pids+=("$(start_upstream "$work" "$UP_PORT")")
write_keys "$work/keys.txt" 10000
valid=$(sed -n 500p "$work/keys.txt")
if [[ $TARGET == nginx ]]; then
  gw=$(start_keyauth_nginx "$work/ng" "$work/keys.txt" "$UP_PORT" "$GW_PORT")
  pids+=("$gw")
  sleep 1
else
  ensure_jar
  gw=$(start_gateway "$work" "$UP_PORT" "$GW_PORT" "$ADMIN_PORT" "$EVENTS")
  pids+=("$gw")
fi
cat > "$work/trace.lua" << 'LUA'
local n = 0
request = function()
  n = n + 1
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  h["X-Trace"] = tostring(n)
  return wrk.format(nil, nil, h)
end
done = function(summary, latency, requests)
  io.write(string.format("wrk: %.0f req/s, p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms\n",
    summary.requests / summary.duration * 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
LUA
load() { # KEY SECONDS
  timeout --foreground -k 5 $(($2 + 30)) taskset -c 0 wrk -t1 -c32 -d"$2s" -s "$work/trace.lua" \
    -H "X-API-Key: $1" "http://127.0.0.1:$GW_PORT/"
}
load "$valid" "$WARMUP" > /dev/null
if [[ $WRONG_WARMUP -gt 0 ]]; then load "$(random_key)" "$WRONG_WARMUP" > /dev/null; fi
taskset -a -p -c 1 "$gw" > /dev/null
for p in $(pgrep -P "$gw" || true); do taskset -a -p -c 1 "$p" > /dev/null; done
# only the packets with data (PSH): requests and answers; started before the run, so that its
# buffer's setup does not stall wrk in the middle of it
taskset -c 0 tcpdump -i lo -n -B 65536 -s 400 -w "$work/cap.pcap" \
  "tcp and (port $GW_PORT or port $UP_PORT) and (tcp[tcpflags] & tcp-push != 0)" \
  2> "$work/tcpdump.err" &
cap=$!
sleep 2
load "$valid" "$DURATION" | grep '^wrk:'
kill -INT "$cap"
wait "$cap" || true
grep -h 'dropped by kernel' "$work/tcpdump.err" || true
python3 - "$work/cap.pcap" "$GW_PORT" "$UP_PORT" << 'PY'
import bisect, collections, re, struct, sys
path, gw, up = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, 'rb').read()
link = struct.unpack('<I', data[20:24])[0]
o, pk = 24, []
while o + 16 <= len(data):
    s, us, incl, _ = struct.unpack('<IIII', data[o:o + 16]); o += 16
    p = data[o:o + incl]; o += incl
    ip = p[14:] if link == 1 else p[16:] if link == 113 else p
    ihl = (ip[0] & 15) * 4
    sp, dp = struct.unpack('>HH', ip[ihl:ihl + 4])
    pk.append((s + us / 1e6, sp, dp, ip[ihl + (ip[ihl + 12] >> 4) * 4:]))
trace = re.compile(rb'X-Trace: (\d+)', re.I)
request = lambda pl: pl[:4] in (b'GET ', b'POST')
answer = lambda pl: pl[:5] == b'HTTP/'
cli, ups = collections.defaultdict(collections.deque), collections.defaultdict(collections.deque)
first, second = {}, {}
for t, sp, dp, pl in pk:
    if dp == gw and request(pl):
        m = trace.search(pl)
        if m: cli[sp].append(m.group(1)); first[m.group(1)] = [t, None]
    elif sp == gw and answer(pl) and cli[dp]:
        first[cli[dp].popleft()][1] = t
    elif dp == up and request(pl):
        m = trace.search(pl)
        if m: ups[sp].append(m.group(1)); second[m.group(1)] = [t, None]
    elif sp == up and answer(pl) and ups[dp]:
        second[ups[dp].popleft()][1] = t
rows = sorted((a[0], b[0] - a[0], b[1] - b[0], a[1] - b[1], a[1] - a[0])
              for k, a in first.items() if a[1] and k in second and second[k][1]
              for b in [second[k]])
if not rows:
    sys.exit("no request matched: were the answers errors?")
pct = lambda xs, q: sorted(xs)[min(len(xs) - 1, int(len(xs) * q))] * 1000
print("requests followed: %d of %d" % (len(rows), len(first)))
for name, i in (("in", 1), ("upstream", 2), ("out", 3), ("total", 4)):
    xs = [r[i] for r in rows]
    print("  %-9s mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms" % (
        name, sum(xs) / len(xs) * 1000, pct(xs, .5), pct(xs, .9), pct(xs, .99), pct(xs, .999), pct(xs, 1)))
slow = sorted(rows, key=lambda r: r[4])[-max(1, len(rows) // 100):]
print("  the slowest 1 %%: %.3f ms = in %.3f + upstream %.3f + out %.3f, started in %d different ms" % (
    *(sum(r[i] for r in slow) / len(slow) * 1000 for i in (4, 1, 2, 3)),
    len({int(r[0] * 1000) for r in slow})))
sends = {"gateway": [t for t, sp, dp, _ in pk if sp == gw or dp == up],
         "upstream": [t for t, sp, dp, _ in pk if sp == up],
         "wrk": [t for t, sp, dp, _ in pk if dp == gw]}
for who, ts in sends.items():
    ts.sort()
    gaps = [b - a for a, b in zip(ts, ts[1:])]
    print("  %-8s silent over 1 ms %4d times (%.0f ms), over 2 ms %4d times (%.0f ms), longest %.1f ms" % (
        who, sum(g > .001 for g in gaps), sum(g for g in gaps if g > .001) * 1000,
        sum(g > .002 for g in gaps), sum(g for g in gaps if g > .002) * 1000, max(gaps) * 1000))
ts = sends["gateway"]
silences = [(a, b) for a, b in zip(ts, ts[1:]) if b - a > .001]
starts = [a for a, _ in silences]
def touched(t0, t3):
    i = max(0, bisect.bisect_left(starts, t0) - 1)
    while i < len(silences) and silences[i][0] < t3:
        if silences[i][1] > t0: return True
        i += 1
    return False
calm = [r[4] for r in rows if not touched(r[0], r[0] + r[4])]
print("  requests no gateway silence over 1 ms touched: %d, p99 %.3f ms, p99.9 %.3f ms" % (
    len(calm), pct(calm, .99), pct(calm, .999)))
PY
