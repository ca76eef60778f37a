#!/usr/bin/env bash
# One produce-latency probe at a fixed rate, for before/after comparisons (run it A B A B):
# brook on core 0 with a fresh data dir and a 16-partition topic, the load on core 1 (1 KiB,
# acks=all, linger 1 ms, batch 1 MiB), optionally a consumer from the end for end-to-end latency.
# Two load tools, each against its own fresh broker, in the order of TOOLS:
#   paced    bench/paced/paced_latency.c (built by bench/paced.sh): sleeps until each message's
#            scheduled time and measures from that time (no coordinated omission); its consumer
#            starts at the high watermarks (default fetch.wait.max.ms=500). Also reports how late
#            the sender itself was behind the schedule, and librdkafka's own window statistics
#            (request round trip = rtt, time in the partition queue = int_latency).
#   rdkafka  rdkafka_performance -r -l (bench/rdkafka.sh), the earlier measurement: busy-polls
#            between sends and measures from each produce call; its consumer (-C -o end) is
#            given 3 s to connect. "steady" skips the first RATE acks (about the first second).
# Per tool: the load average, brook's CPU and context switches, produce-to-ack percentiles (whole
# run and steady state = scheduled at least 1 s after the start), brook's own Produce latency
# histogram and its flush passes' fsync time (admin /metrics: share under each bound) and, with
# E2E=1, end to end.
# Usage: bench/latency-probe.sh [brook-binary]
#   RATE (10000) COUNT (100000) PORT (19092; the admin listener uses PORT+1) E2E=1
#   TOOLS ("paced rdkafka") DATAROOT (/tmp; /dev/shm takes the disk out)
#   BROOKENV="VAR=value ..." passes environment variables to brook.
#   PACED_X="-X key=value ..." overrides the paced producer's librdkafka settings (e.g. linger.ms).
set -euo pipefail
cd "$(dirname "$0")/.."
brook=${1:-$PWD/src/Brook/bin/Release/net10.0/brook}
rdkafka=$(bench/rdkafka.sh)
paced=$(bench/paced.sh)
port=${PORT:-19092}
admin=$((port + 1))
count=${COUNT:-100000}
rate=${RATE:-10000}
pid=""
consumer=""
work=""
cleanup() {
    if [ -n "$consumer" ]; then kill "$consumer" 2>/dev/null || true; fi
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    if [ -n "$work" ]; then rm -rf "$work"; fi
    pid="" consumer="" work=""
}
trap cleanup EXIT INT TERM

probe() {
    local tool=$1
    work=$(mktemp -d "${DATAROOT:-/tmp}/brook-latency.XXXX")
    # shellcheck disable=SC2086
    env ${BROOKENV:-} taskset -c 0 "$brook" start --data-dir "$work/data" --kafka-listener "127.0.0.1:$port" \
        --admin-listener "127.0.0.1:$admin" > "$work/brook.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q '^kafka:' "$work/brook.log" && break; sleep 0.1; done
    "$brook" topic create lat -p 16 --brokers "127.0.0.1:$port" >/dev/null
    if [ -n "${E2E:-}" ]; then
        if [ "$tool" = paced ]; then
            taskset -c 1 "$paced" consume "127.0.0.1:$port" lat "$count" "$work/ready" "$work/e2e.txt" \
                > "$work/e2e.json" 2>"$work/e2e.err" &
            consumer=$!
            for _ in $(seq 200); do [ -f "$work/ready" ] && break; sleep 0.05; done
        else
            # shellcheck disable=SC2046
            taskset -c 1 "$rdkafka" -C -t lat -b "127.0.0.1:$port" $(for p in $(seq 0 15); do echo "-p $p"; done) \
                -o end -l -A "$work/e2e.us" -c "$count" -q >/dev/null 2>&1 &
            consumer=$!
            sleep 3 # the simple consumer has no ready signal
        fi
    fi
    read -r load _ < /proc/loadavg
    cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
    if [ "$tool" = paced ]; then
        # shellcheck disable=SC2086
        STATS="$work/stats.json" taskset -c 1 "$paced" produce "127.0.0.1:$port" lat "$rate" "$count" 1024 ${PACED_X:-} \
            > "$work/acks.json" 2>"$work/acks.err" || true
    else
        taskset -c 1 "$rdkafka" -P -t lat -b "127.0.0.1:$port" -s 1024 -a -1 -c "$count" -q -X linger.ms=1 \
            -X batch.size=1048576 -r "$rate" -l -A "$work/acks.us" >/dev/null 2>&1
    fi
    cpu=$(awk -v c0="$cpu0" '{printf "%.2f", ($14 + $15 - c0) / 100}' /proc/$pid/stat)
    switches=$(cat /proc/$pid/task/*/status | awk '/^voluntary/{v+=$2} /^nonvoluntary/{n+=$2} END{print v "/" n}')
    if [ -n "$consumer" ]; then
        timeout 40 tail --pid="$consumer" -f /dev/null || true
    fi
    curl -s "127.0.0.1:$admin/metrics" > "$work/metrics.txt" || true
    echo "[$tool] load $load brook_cpu_s $cpu switches(vol/invol) $switches"
    /usr/bin/python3 - "$work" "$rate" <<'PY'
import json, os, re, sys
work, rate = sys.argv[1], int(sys.argv[2])
def pct(v, q):
    return v[min(len(v) - 1, int(len(v) * q))] / 1000
def show_us(name, path):
    """rdkafka_performance -A: one latency (us) per line, in arrival order."""
    if not os.path.exists(path):
        return
    v = [int(l) for l in open(path) if l.strip()]
    for label, part in (("all", v), ("steady", v[rate:])):
        s = sorted(part)
        if s:
            print(f"  {name} {label:6} n {len(s)} p50 {pct(s, .5):.2f} p99 {pct(s, .99):.2f} p99.9 {pct(s, .999):.2f} "
                  f"p99.99 {pct(s, .9999):.2f} max {s[-1] / 1000:.2f} ms")
def show_json(name, path, key):
    if not os.path.exists(path) or not open(path).read().strip():
        return
    r = json.loads(open(path).read().strip().splitlines()[-1])
    for label in ("all", "steady"):
        h = r.get(f"{key}_{label}")
        if h and h["n"]:
            print(f"  {name} {label:6} n {h['n']} p50 {h['p50_ms']:.2f} p99 {h['p99_ms']:.2f} p99.9 {h['p999_ms']:.2f} "
                  f"p99.99 {h['p9999_ms']:.2f} max {h['max_ms']:.2f} ms")
    return r
r = show_json("ack", os.path.join(work, "acks.json"), "ack")
show_us("ack", os.path.join(work, "acks.us"))
show_json("e2e", os.path.join(work, "e2e.json"), "e2e")
show_us("e2e", os.path.join(work, "e2e.us"))
if r:
    late = r["send_late_steady"] if r["send_late_steady"]["n"] else r["send_late_all"]
    print(f"  client: acked {r['acked']}/{r['sent']} at {r['rate']:.0f}/s, cpu {r['client_cpu_s']:.2f} s; "
          f"sender behind schedule p50 {late['p50_ms']:.3f} p99 {late['p99_ms']:.3f} p99.9 {late['p999_ms']:.3f} ms")
stats = os.path.join(work, "stats.json")
if os.path.exists(stats):
    # librdkafka's per-second windows for the broker connection (not the bootstrap one): median over windows.
    windows = {"rtt": [], "int_latency": [], "outbuf_latency": []}
    for line in open(stats):
        try:
            s = json.loads(line)
        except ValueError:
            continue
        for b in s.get("brokers", {}).values():
            if b.get("nodeid", -1) < 0 or not b.get("rtt", {}).get("cnt"):
                continue
            for k in windows:
                windows[k].append(b[k])
    for k, ws in windows.items():
        ws = ws[1:]  # the first window holds the start-up
        if ws:
            med = lambda f: sorted(w[f] for w in ws)[len(ws) // 2] / 1000
            print(f"  librdkafka {k:14} per-second windows, median of: p50 {med('p50'):.2f} p99 {med('p99'):.2f} "
                  f"p99.99 {med('p99_99'):.2f} ms; worst window p99 {max(w['p99'] for w in ws) / 1000:.2f} ms")
metrics = os.path.join(work, "metrics.txt")
def show_histogram(text, metric, labels, title):
    """A Prometheus histogram's share of observations under each bound up to 10 ms."""
    buckets = [(float(m.group(1)), int(m.group(2))) for m in
               re.finditer(metric + r'_bucket\{' + labels + r'le="([0-9.e+-]+)"\} (\d+)', text)]
    if buckets and buckets[-1][1]:
        total = buckets[-1][1]
        shares = " ".join(f"<{le * 1000:g}ms {c / total * 100:.1f}%" for le, c in buckets if le <= 0.01)
        print(f"  brook {title.format(total)}: {shares}")
if os.path.exists(metrics):
    text = open(metrics).read()
    show_histogram(text, "brook_request_latency_seconds", 'api="Produce",', "Produce histogram ({} requests)")
    show_histogram(text, "brook_log_flush_seconds", "", "flush passes (fsync time, {} passes)")
PY
    cleanup
}

for tool in ${TOOLS:-paced rdkafka}; do
    probe "$tool"
done
