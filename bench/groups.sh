#!/usr/bin/env bash
# Group coordinator speed through the wire (bench/Brook.Benchmarks/Groups/GroupsMeasurement.cs):
# brook (Release) runs on core 0 over a temp data dir; the measuring client on core 1. Once with
# group.initial.rebalance.delay.ms=0 and once with Kafka's default 3000; then the delay-0 run again
# with the thread pool's idle spinning back at the runtime's default (brook's runtimeconfig turns it
# off: see src/Brook/Brook.csproj); last, the coordinator alone in process (CoordinatorCommitMeasurement).
# The commit phase first commits for WARMUP seconds (default 20; the JIT's tier-up of the commit path,
# reported apart), then measures the same members idle and committing. bench/groups-commit.sh runs the
# commit phase alone, alternating variants.
# Usage: bench/groups.sh [rebalance-rounds] [commit-seconds]   (defaults 5 and 20)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-20}
warmup=${WARMUP:-20}
dotnet build src/Brook -c Release -nologo -v quiet >/dev/null
dotnet build bench/Brook.Benchmarks -c Release -nologo -v quiet >/dev/null
source bench/groups-common.sh
for run in "0 off" "3000 off" "0 default"; do
    delay=${run% *}
    spin=()
    # The runtime's own default spin limit is 70, which brook's runtimeconfig sets to 0; the DOTNET_
    # variable overrides the runtimeconfig and is read as hexadecimal (0x46 = 70).
    if [ "${run#* }" = default ]; then spin=(DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=46); fi
    start_brook "$delay" "${spin[@]}"
    echo "== group.initial.rebalance.delay.ms=$delay, thread pool idle spinning: ${run#* } (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll groups "127.0.0.1:$port" "$brook_pid" "$rounds" "$seconds" "$warmup"
    stop_brook
done
echo "== coordinator only, in process (no network) (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll groups-coordinator "$seconds"
