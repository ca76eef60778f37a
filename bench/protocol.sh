#!/usr/bin/env bash
# Runs the protocol benchmarks (bench/Brook.Benchmarks/Protocol) and prints their tables.
# Pinned to CPU 1 when taskset exists, so "one core" means one core. Extra arguments go to
# BenchmarkDotNet, e.g. `bench/protocol.sh --job short` on a busy machine.
set -euo pipefail
cd "$(dirname "$0")/.."

artifacts=bench/BenchmarkDotNet.Artifacts/protocol
rm -rf "$artifacts"

pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt 1 ]; then
    pin=(taskset -c 1)
fi

echo "protocol.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc)," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "pinned: ${pin[*]:-no}"

dotnet build bench/Brook.Benchmarks -c Release -nologo -v quiet
"${pin[@]}" dotnet run -c Release --no-build --project bench/Brook.Benchmarks -- \
    --filter '*Brook.Benchmarks.Protocol*' --artifacts "$artifacts" "$@"

echo "protocol.sh: load after the run $(cut -d' ' -f1-3 /proc/loadavg)"
for report in "$artifacts"/results/*-report-github.md; do
    echo
    cat "$report"
done
