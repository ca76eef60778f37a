#!/usr/bin/env bash
# The broker's speed against references, in one run: brook (Release) on core 0 with a temp data
# dir, a librdkafka client on core 1 (rdkafka_performance built by bench/rdkafka.sh, or, if that
# build fails, confluent-kafka from Python: bench/broker/load.py); then fio (1 MiB
# writes, fsync each), iperf3 over loopback and a private Redis 7 (Streams, appendfsync always),
# and bench/startup.sh. Prints a markdown table of figures, references, ratios and targets.
# Loopback only; every phase is bounded; child processes are stopped on exit.
# The 1 KiB produce ratio to Redis is the median of RATIO_ROUNDS (default 3) alternated pairs.
# Usage: [RATIO_ROUNDS=n] bench/broker.sh [produce-seconds]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in fio iperf3 redis-server redis-benchmark taskset; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install fio iperf3 redis-server)" >&2; exit 1; }
done
# Published ReadyToRun, as docs/operations.md deploys it: precompiled code answers the first
# requests without waiting for the JIT (first Produce round trip ~9 ms instead of 45-90 ms),
# which otherwise lands in the latency run's tail.
dotnet publish src/Brook -c Release -r linux-x64 -p:PublishReadyToRun=true -nologo -v quiet -o bench/.cache/brook >/dev/null
brook=$PWD/bench/.cache/brook/brook
rdkafka=$(bench/rdkafka.sh) || { echo "rdkafka_performance not built; using the Python client" >&2; rdkafka=""; }
paced=$(bench/paced.sh) || { echo "paced_latency not built; the paced phase uses rdkafka_performance alone" >&2; paced=""; }
runner=""
trap 'if [ -n "$runner" ]; then kill "$runner" 2>/dev/null || true; fi' EXIT INT TERM
/usr/bin/python3 bench/broker/run.py "$brook" "$PWD" "${1:-15}" "$rdkafka" "$paced" &
runner=$!
wait "$runner"
