#!/usr/bin/env bash
# The broker's speed against references, in one run: brook (Release) on core 0 with a temp data
# dir, a librdkafka client on core 1 (rdkafka_performance built by bench/rdkafka.sh, or, if that
# build fails, confluent-kafka from Python: bench/broker/load.py); then fio (1 MiB
# writes, fsync each), iperf3 over loopback and a private Redis 7 (Streams, appendfsync always),
# and bench/startup.sh. Prints a markdown table of figures, references, ratios and targets.
# Loopback only; every phase is bounded; child processes are stopped on exit.
# Usage: bench/broker.sh [produce-seconds]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in fio iperf3 redis-server redis-benchmark taskset; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install fio iperf3 redis-server)" >&2; exit 1; }
done
dotnet build src/Brook -c Release -nologo -v quiet >/dev/null
brook=$PWD/src/Brook/bin/Release/net10.0/brook
rdkafka=$(bench/rdkafka.sh) || { echo "rdkafka_performance not built; using the Python client" >&2; rdkafka=""; }
runner=""
trap 'if [ -n "$runner" ]; then kill "$runner" 2>/dev/null || true; fi' EXIT INT TERM
/usr/bin/python3 bench/broker/run.py "$brook" "$PWD" "${1:-15}" "$rdkafka" &
runner=$!
wait "$runner"
