#!/usr/bin/env bash
# One produce-latency probe at a fixed rate, for before/after comparisons (run it A B A B):
# brook on core 0 with a fresh data dir and a 16-partition topic, rdkafka_performance on core 1
# (1 KiB, acks=all, linger 1 ms, -l), optionally a consumer from the end for end-to-end latency.
# Prints the load average, brook's CPU and context switches, produce-to-ack percentiles and, with
# E2E=1, end-to-end percentiles.
# Usage: bench/latency-probe.sh [brook-binary]
#   RATE (10000) COUNT (100000) PORT (19092) E2E=1 DATAROOT (/tmp; /dev/shm takes the disk out)
#   BROOKENV="VAR=value ..." passes environment variables to brook.
set -euo pipefail
cd "$(dirname "$0")/.."
brook=${1:-$PWD/src/Brook/bin/Release/net10.0/brook}
rdkafka=$(bench/rdkafka.sh)
port=${PORT:-19092}
count=${COUNT:-100000}
work=$(mktemp -d "${DATAROOT:-/tmp}/brook-latency.XXXX")
consumer=""
# shellcheck disable=SC2086
env ${BROOKENV:-} taskset -c 0 "$brook" start --data-dir "$work/data" --kafka-listener "127.0.0.1:$port" --admin-listener none > "$work/brook.log" 2>&1 &
pid=$!
trap 'kill $pid $consumer 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
for _ in $(seq 100); do grep -q '^kafka:' "$work/brook.log" && break; sleep 0.1; done
"$brook" topic create lat -p 16 --brokers "127.0.0.1:$port" >/dev/null
if [ -n "${E2E:-}" ]; then
    taskset -c 1 "$rdkafka" -C -t lat -b "127.0.0.1:$port" $(for p in $(seq 0 15); do echo "-p $p"; done) \
        -o end -l -A "$work/e2e.us" -c "$count" -q >/dev/null 2>&1 &
    consumer=$!
    sleep 3 # the simple consumer has no ready signal
fi
read -r load _ < /proc/loadavg
cpu0=$(awk '{print $14 + $15}' /proc/$pid/stat)
taskset -c 1 "$rdkafka" -P -t lat -b "127.0.0.1:$port" -s 1024 -a -1 -c "$count" -q -X linger.ms=1 \
    -X batch.size=1048576 -r "${RATE:-10000}" -l -A "$work/acks.us" >/dev/null 2>&1
cpu=$(awk -v c0="$cpu0" '{printf "%.2f", ($14 + $15 - c0) / 100}' /proc/$pid/stat)
switches=$(cat /proc/$pid/task/*/status | awk '/^voluntary/{v+=$2} /^nonvoluntary/{n+=$2} END{print v "/" n}')
if [ -n "$consumer" ]; then
    timeout 30 tail --pid="$consumer" -f /dev/null || true
fi
echo "load $load brook_cpu_s $cpu switches(vol/invol) $switches"
/usr/bin/python3 - "$work/acks.us" "$work/e2e.us" <<'PY'
import os, sys
def show(name, path, points):
    if not os.path.exists(path):
        return
    v = sorted(int(l) for l in open(path) if l.strip())
    if v:
        print(name, len(v), " ".join("p%s %.2f ms" % (p, v[min(len(v) - 1, int(len(v) * float(p) / 100))] / 1000) for p in points),
              "max %.2f ms" % (v[-1] / 1000))
show("ack", sys.argv[1], ["50", "99", "99.9"])
show("e2e", sys.argv[2], ["50", "99", "99.99"])
PY
