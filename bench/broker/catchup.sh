#!/usr/bin/env bash
# Catch-up read speed of one or more brook builds over the same data, alternated:
#   bench/broker/catchup.sh [-n MESSAGES] [-r ROUNDS] [-k KEEP_DIR] BROOK_BINARY...
# Starts the first binary pinned to core 0 on its own port, fills a 16-partition topic with
# MESSAGES x 1 KiB once (rdkafka_performance -P, acks=1), stops it; then for each round and each
# binary in turn starts that binary on the same data dir and reads everything from the beginning
# twice with rdkafka_performance -C on core 1 (the flags of rdkafka_load.py consume()), printing
# MB/s, the client's CPU and brook's CPU per read, and the load average. Before each read the
# segment files are read once with cat, so every read is served from the page cache (on a
# shared machine other jobs evict it; `fincore` shows how much was resident before the warm-up).
# Extra client settings for the consumer: CATCHUP_CONSUMER_X="key=value key=value" (for the
# producer that fills the topic: CATCHUP_PRODUCER_X, e.g. batch.size=16384 for small batches);
# extra environment for the consumer only: CATCHUP_CLIENT_ENV="NAME=value".
set -euo pipefail
cd "$(dirname "$0")/../.."
messages=1000000
rounds=2
keep=""
while getopts "n:r:k:" opt; do
    case $opt in
        n) messages=$OPTARG ;;
        r) rounds=$OPTARG ;;
        k) keep=$OPTARG ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-n N] [-r R] [-k DIR] BROOK_BINARY..." >&2; exit 2; }
rdkafka=$(bash bench/rdkafka.sh)
data=${keep:-$(mktemp -d /tmp/brook-catchup-XXXXXX)}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
admin=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bootstrap=127.0.0.1:$port
pid=""
stop() { if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop; [ -z "$keep" ] && rm -rf "$data"' EXIT

start() {
    taskset -c 0 "$1" start --data-dir "$data/brook" --kafka-listener "$bootstrap" --admin-listener "127.0.0.1:$admin" >"$data/brook.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "brook did not listen" >&2; exit 1
}

cpu_of() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }

partitions=""
for p in $(seq 0 15); do partitions="$partitions -p $p"; done

if [ ! -e "$data/filled" ]; then
    produce_extra=""
    for kv in ${CATCHUP_PRODUCER_X:-}; do produce_extra="$produce_extra -X $kv"; done
    start "$1"
    "$1" topic create catchup -p 16 --brokers "$bootstrap" >/dev/null
    taskset -c 1 "$rdkafka" -P -t catchup -b "$bootstrap" -s 1024 -a 1 -c "$messages" -q \
        -X linger.ms=5 -X batch.size=1048576 -X queue.buffering.max.messages=1000000 \
        -X queue.buffering.max.kbytes=1048576 $produce_extra 2>&1 | grep -E "delivered" | tail -1
    stop
    touch "$data/filled"
fi

extra=""
for kv in ${CATCHUP_CONSUMER_X:-}; do extra="$extra -X $kv"; done
for round in $(seq "$rounds"); do
    for binary in "$@"; do
        start "$binary"
        for read in 1 2; do
            resident=$(fincore -b -n -o RES "$data"/brook/catchup-*/*.log 2>/dev/null | awk '{s+=$1} END {print s+0}')
            total=$(cat "$data"/brook/catchup-*/*.log | wc -c)
            echo "page cache before warm-up: $resident of $total bytes"
            before=$(cpu_of "$pid")
            out=$( { env ${CATCHUP_CLIENT_ENV:-} /usr/bin/time -f "client_cpu %U %S" taskset -c 1 "$rdkafka" -C -t catchup -b "$bootstrap" $partitions \
                -o beginning -c "$messages" -q $extra; } 2>&1 )
            after=$(cpu_of "$pid")
            echo "$out" | python3 -c '
import re, sys
text = sys.stdin.read()
m = re.findall(r"(\d+) messages \((\d+) bytes\) consumed in (\d+)ms", text)
c = re.search(r"client_cpu ([\d.]+) ([\d.]+)", text)
n, b, ms = (int(x) for x in m[-1])
load = open("/proc/loadavg").read().split()[0]
print(f"round {sys.argv[1]} {sys.argv[2]} read {sys.argv[3]}: {n} msgs {b/ms/1e3:.1f} MB/s in {ms} ms, "
      f"client cpu {float(c.group(1))+float(c.group(2)):.2f} s, brook cpu {float(sys.argv[5])-float(sys.argv[4]):.2f} s, load {load}")
' "$round" "$binary" "$read" "$before" "$after"
        done
        stop
    done
done
