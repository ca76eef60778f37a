#!/usr/bin/env bash
# The brook client and CLI against librdkafka, in one run against the same broker:
#   1. produce 1 KiB acks=all for N seconds: confluent-kafka (librdkafka 2.0.2, bench/broker/load.py)
#      then `brook bench produce` with the same record size, acks and partitions (each pinned to core 1,
#      the broker to core 0), twice in alternating order to even out the shared machine's noise;
#   2. `brook topic consume` of ~1 GiB (1,048,576 records of 1 KiB) from the start to /dev/null,
#      printing only the values (`-f %v`), timed from process start to exit; then librdkafka's
#      catch-up of the same records (bench/broker/load.py consume) as the reference for what the
#      broker serves on this machine.
# Prints a markdown table. Usage: bench/client.sh [produce-seconds] (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
dotnet build src/Brook -c Release -nologo -v quiet >/dev/null
brook=$PWD/src/Brook/bin/Release/net10.0/brook
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
broker=""
cleanup() { if [ -n "$broker" ]; then kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; fi; rm -rf "$data"; }
trap cleanup EXIT INT TERM
taskset -c 0 "$brook" start --data-dir "$data" --kafka-listener "127.0.0.1:$port" --admin-listener none >/dev/null 2>&1 &
broker=$!
export BROOK_BROKERS=127.0.0.1:$port
for _ in $(seq 1 100); do "$brook" cluster health >/dev/null 2>&1 && break; sleep 0.2; done
partitions=4
"$brook" topic create rdk brk consume-src -p $partitions >/dev/null

# field FIELD: one number from a JSON document on stdin, or "failed" (the document goes to stderr).
field() { /usr/bin/python3 -c 'import json,sys
text = sys.stdin.read()
try: print(round(json.loads(text)[sys.argv[1]], 1))
except Exception: print("failed"); sys.stderr.write(text)' "$1"; }
rdk() { taskset -c 1 /usr/bin/python3 bench/broker/load.py produce "$BROOK_BROKERS" rdk 1024 "$seconds" | field msgs_per_s; }
brk() { taskset -c 1 "$brook" bench produce --topic brk --records 0 --duration "${seconds}s" --record-size 1024 --acks all --linger-ms 1 --format json | field records_per_second; }
r1=$(rdk); b1=$(brk); b2=$(brk); r2=$(rdk)
echo "load average after produce: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$brook" bench produce --topic consume-src --records 1048576 --record-size 1024 --acks 1 --format json >/dev/null
bytes=$(( 1048576 * 1024 ))
start=$(date +%s.%N)
taskset -c 1 "$brook" topic consume consume-src -o start:end -f '%v' >/dev/null
end=$(date +%s.%N)
consume_mbs=$(/usr/bin/python3 -c "print(round($bytes / ($end - $start) / 1e6, 1))")
rdk_consume=$(taskset -c 1 /usr/bin/python3 bench/broker/load.py consume "$BROOK_BROKERS" consume-src | field mb_per_s)

ratio=$(/usr/bin/python3 -c "print(round(($b1 + $b2) / ($r1 + $r2), 2))" 2>/dev/null || echo "-")
echo "| Figure | brook | librdkafka | Ratio | Target |"
echo "|---|---|---|---|---|"
echo "| produce 1 KiB acks=all msgs/s (run 1, run 2) | $b1, $b2 | $r1, $r2 | $ratio | >= 0.9 |"
echo "| topic consume 1 GiB to /dev/null | $consume_mbs MB/s | $rdk_consume MB/s (catch-up, no output) | | >= 300 MB/s |"
