#!/usr/bin/env bash
# Storage speed in one run: fio's sequential write with an fsync per write (the disk's ceiling
# for durable appends of that size), then Brook's append/read benchmarks on the same disk, then
# both side by side, with the load average at start and end (the machine may be shared). The
# benchmark processes are pinned to CPU 1 (BenchmarkDotNet --affinity; its build of the generated
# project stays unpinned: pinned, it timed out on a busy machine), so "one core" means one core.
# The "floor" rows are bare pwrite loops on the same disk: their ratio to the log rows is the
# log's own overhead.
# Usage: bench/storage.sh [--startup]   (BROOK_BENCH_DIR picks the disk)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v fio >/dev/null 2>&1; then
    echo "storage.sh: installing fio"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq fio >/dev/null
fi

export BROOK_BENCH_DIR="${BROOK_BENCH_DIR:-${TMPDIR:-/tmp}/brook-bench}"
mkdir -p "$BROOK_BENCH_DIR"
fio_dir=$(mktemp -d -p "$BROOK_BENCH_DIR" fio.XXXX)
trap 'rm -rf "$fio_dir"' EXIT

# The disk may be shared: fio runs before and after Brook, and Brook is compared with the better run.
declare -A fio_before fio_after
run_fio() {
    local bs=$1 size=${2:-256m}
    [ "$bs" = 16k ] && [ -z "${2:-}" ] && size=64m
    fio --name=seq-fsync --directory="$fio_dir" --rw=write --bs="$bs" --size="$size" --fsync=1 \
        --ioengine=sync --end_fsync=1 --output-format=json >"$fio_dir/$bs.json"
    rm -f "$fio_dir"/seq-fsync*
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); v=j["jobs"][0]["write"]["bw_bytes"]/1e6; print(f"{v:.1f}" if len(sys.argv) > 2 else round(v))' "$fio_dir/$bs.json" ${2:+precise}
}
pin=()
if [ "$(nproc)" -gt 1 ]; then
    pin=(--affinity 2) # mask: CPU 1
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "storage.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), load $load_start, pinned: ${pin[*]:-no} (CPU mask)"

for bs in 16k 256k 1m; do fio_before[$bs]=$(run_fio "$bs"); done

filters=('*Storage.AppendBenchmarks*' '*Storage.ReadBenchmarks*')
[ "${1:-}" = "--startup" ] && filters+=('*Storage.StartupBenchmarks*')
dotnet build bench/Brook.Benchmarks -c Release -nologo -v quiet
dotnet run -c Release --no-build --project bench/Brook.Benchmarks -- --filter "${filters[@]}" --exporters csv \
    --buildTimeout 600 "${pin[@]}"

for bs in 16k 256k 1m; do fio_after[$bs]=$(run_fio "$bs"); done

# Durable single writer against fio in alternating rounds (fio, log, floor; 6 rounds per size):
# each ratio compares runs seconds apart, which a drifting shared disk needs.
durable() {
    "${taskset_pin[@]}" dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll storage-durable "$@"
}
taskset_pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt 1 ]; then
    taskset_pin=(taskset -c 1)
fi
rounds=""
for bs in 16k 256k 1m; do
    case $bs in 16k) bytes=16384 size=16m ;; 256k) bytes=262144 size=64m ;; *) bytes=1048576 size=64m ;; esac
    for round in 1 2 3 4 5 6; do
        # The order turns each round, so that no run always follows another's file deletion
        # (whose freed blocks, on a disk mounted with -o discard, may slow the next commits).
        for run in $(( round % 3 )) $(( (round + 1) % 3 )) $(( (round + 2) % 3 )); do
            case $run in
                0) f=$(run_fio "$bs" "$size") ;;
                1) l=$(durable log "$bytes" $(( ${size%m} * 1048576 ))) ;;
                2) p=$(durable floor "$bytes" $(( ${size%m} * 1048576 ))) ;;
            esac
        done
        rounds+="$bs $round $f $l $p"$'\n'
    done
done
declare -A fio_mbps
for bs in 16k 256k 1m; do
    fio_mbps[$bs]=$(( fio_before[$bs] > fio_after[$bs] ? fio_before[$bs] : fio_after[$bs] ))
done

echo
echo "== load average (1, 5, 15 min): $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end; $(date -u '+%H:%M UTC') =="
echo "== fio: sequential write, fsync after every write (MB/s = 10^6 B/s), disk of $BROOK_BENCH_DIR =="
for bs in 16k 256k 1m; do echo "  bs=$bs: ${fio_before[$bs]} MB/s before Brook, ${fio_after[$bs]} MB/s after"; done
echo "== Brook (MB/s column of the BenchmarkDotNet tables above; durable rows against the better fio run) =="
report=$(ls -t BenchmarkDotNet.Artifacts/results/*AppendBenchmarks-report.csv 2>/dev/null | head -1 || true)
if [ -n "$report" ]; then
    python3 - "$report" "${fio_mbps[16k]}" "${fio_mbps[256k]}" "${fio_mbps[1m]}" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
fio = {"16384": float(sys.argv[2]), "262144": float(sys.argv[3]), "1048576": float(sys.argv[4])}
for r in rows:
    mbps = r.get("MB/s", "-")
    line = f"  {r['Method']:<40} batch={r['BatchBytes']:>8}: {mbps:>6} MB/s, {r.get('Allocated', '-'):>9} allocated/op"
    if "fsync" in r["Method"] and "no fsync" not in r["Method"] and mbps not in ("-", ""):
        line += f"   = {100 * float(mbps.replace(',', '')) / fio[r['BatchBytes']]:.0f}% of fio"
    print(line)
PY
fi
report=$(ls -t BenchmarkDotNet.Artifacts/results/*ReadBenchmarks-report.csv 2>/dev/null | head -1 || true)
if [ -n "$report" ]; then
    python3 - "$report" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(f"  {r['Method']:<40}                 : {r['MB/s']:>6} MB/s")
PY
fi
echo "== durable single writer, alternating rounds: fio --fsync=1 | log append + wait for fsync | pwrite + fsync floor (MB/s) =="
printf '%s' "$rounds" | python3 -c '
import sys, statistics
by = {}
for line in sys.stdin:
    bs, rnd, fio, log, floor = line.split()
    fio, log, floor = float(fio), float(log), float(floor)
    by.setdefault(bs, []).append((log / fio, floor / fio))
    print(f"  bs={bs:<5} round {rnd}: fio {fio:7.1f}  log {log:7.1f} ({100 * log / fio:4.0f}% of fio)  floor {floor:7.1f} ({100 * floor / fio:4.0f}%)")
for bs, ratios in by.items():
    print(f"  bs={bs:<5} median: log {100 * statistics.median(r[0] for r in ratios):.0f}% of fio, floor {100 * statistics.median(r[1] for r in ratios):.0f}% of fio")
'
