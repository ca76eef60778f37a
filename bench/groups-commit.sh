#!/usr/bin/env bash
# The commit phase of bench/groups.sh alone (1,000 offset commits/s from 100 members; broker CPU
# from /proc, per commit, and by thread name), for before/after comparisons: each argument after
# `pairs` is a variant "name=ENV=VALUE[,ENV=VALUE...]" (or "name=" for none) run against its own
# fresh broker, in the order given, repeated `pairs` times (A B A B ...).
# Before the idle baseline the members commit at the same rate for WARMUP seconds (default 20), so
# the JIT's tier-up of the commit path is reported apart from the steady state (WARMUP=0: none).
# BROOK_BINARY=path skips the build and runs that brook.
# commit-seconds must stay below the members' 30 s session timeout (the idle baseline sends nothing).
# Usage: bench/groups-commit.sh [commit-seconds] [pairs] [variant ...]
#   e.g. bench/groups-commit.sh 15 2 default= spin=DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=46  (hexadecimal: 70, the runtime default)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
pairs=${2:-2}
shift 2 || true
variants=("$@")
if [ ${#variants[@]} -eq 0 ]; then variants=("default="); fi
warmup=${WARMUP:-20}
if [ -z "${BROOK_BINARY:-}" ]; then dotnet build src/Brook -c Release -nologo -v quiet >/dev/null; fi
dotnet build bench/Brook.Benchmarks -c Release -nologo -v quiet >/dev/null
source bench/groups-common.sh
for pair in $(seq 1 "$pairs"); do
    for variant in "${variants[@]}"; do
        name=${variant%%=*}
        settings=${variant#*=}
        environment=()
        if [ -n "$settings" ]; then IFS=, read -ra environment <<<"$settings"; fi
        start_brook 0 "${environment[@]}"
        echo "== $name (pair $pair; ${settings:-no settings}) (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
        taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll groups "127.0.0.1:$port" "$brook_pid" 0 "$seconds" "$warmup"
        stop_brook
    done
done
