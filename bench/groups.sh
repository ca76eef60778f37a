#!/usr/bin/env bash
# Group coordinator speed through the wire (bench/Brook.Benchmarks/Groups/GroupsMeasurement.cs):
# brook (Release) runs on core 0 over a temp data dir; the measuring client on core 1. Once with
# group.initial.rebalance.delay.ms=0 and once with Kafka's default 3000; then the delay-0 run again
# with DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (the thread pool's idle spinning is most of
# what a commit costs at this rate); last, the coordinator alone in process (CoordinatorCommitMeasurement).
# Usage: bench/groups.sh [rebalance-rounds] [commit-seconds]   (defaults 5 and 20)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-20}
dotnet build src/Brook -c Release -nologo -v quiet >/dev/null
dotnet build bench/Brook.Benchmarks -c Release -nologo -v quiet >/dev/null
brook_pid=""
data=""
cleanup() {
    if [ -n "$brook_pid" ]; then kill "$brook_pid" 2>/dev/null || true; wait "$brook_pid" 2>/dev/null || true; fi
    if [ -n "$data" ]; then rm -rf "$data"; fi
}
trap cleanup EXIT INT TERM
for run in "0 default" "3000 default" "0 nospin"; do
    delay=${run% *}
    spin=()
    if [ "${run#* }" = nospin ]; then spin=(env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0); fi
    data=$(mktemp -d /tmp/brook-groups-bench.XXXXXX)
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "${spin[@]}" taskset -c 0 src/Brook/bin/Release/net10.0/brook start --data-dir "$data" --kafka-listener "127.0.0.1:$port" --admin-listener none \
        --log-level warning --group-initial-rebalance-delay-ms "$delay" >/dev/null &
    brook_pid=$!
    for _ in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        sleep 0.05
    done
    echo "== group.initial.rebalance.delay.ms=$delay, thread pool spinning: ${run#* } (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll groups "127.0.0.1:$port" "$brook_pid" "$rounds" "$seconds"
    cleanup
    brook_pid=""
    data=""
done
echo "== coordinator only, in process (no network) (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll groups-coordinator "$seconds"
