#!/usr/bin/env bash
# Transactions: one transactional producer on core 1 commits transactions of 100 x 1 KiB back to
# back to one partition of a Release brook (core 0, fresh temp data dir, every ack after fsync):
# first librdkafka (confluent-kafka, bench/transactions/txn_bench.py), then Brook's own connection
# sending AddPartitionsToTxn, Produce and EndTxn directly (Brook.Benchmarks `transactions`).
# Each client warms up for 3 s first (a fresh broker runs tier-0 and instrumented JIT code for
# seconds), then measures. Prints one JSON line per client. PRODUCERS=N adds a line for N raw producers committing at once.
# Then the read phase: a transactional data set of DATASET transactions of 100 x 1 KiB (round robin
# over 16 partitions of topic txn-read, every 10th aborted) is consumed from the beginning by
# rdkafka_performance with isolation.level read_committed and read_uncommitted, alternated ROUNDS
# times (bench/transactions/read_committed.py); prints one JSON line per run and the MB/s ratio.
# DATASET=0 skips it. BROOKENV="VAR=value ..." passes environment variables to brook only; BROOK=path runs another brook binary (A/B).
# Usage: bench/transactions.sh [seconds] [dataset transactions] [rounds]   (default 15 4000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Brook -c Release -nologo -v quiet >/dev/null
dotnet build bench/Brook.Benchmarks -c Release -nologo -v quiet >/dev/null
dataset=${2:-4000}
[ "$dataset" -eq 0 ] || tool=$(bench/rdkafka.sh)
# BROOK_BENCH_DATA_ROOT=/dev/shm puts the data on tmpfs (fsync costs nothing there): what the coordinator costs without the disk.
data=$(mktemp -d "${BROOK_BENCH_DATA_ROOT:-/tmp}/brook-txn-bench.XXXXXX")
log=$data.log
env ${BROOKENV:-} taskset -c 0 "${BROOK:-src/Brook/bin/Release/net10.0/brook}" start --data-dir "$data" --kafka-listener 127.0.0.1:0 --admin-listener none >"$log" 2>&1 &
brook=$!
trap 'kill $brook 2>/dev/null || true; wait $brook 2>/dev/null || true; rm -rf "$data" "$log"' EXIT INT TERM
for _ in $(seq 1 100); do
    bootstrap=$(sed -n 's/^kafka: \([0-9.:]*\) .*/\1/p' "$log" | head -1)
    [ -n "$bootstrap" ] && break
    sleep 0.2
done
[ -n "$bootstrap" ] || { echo "brook did not start: $(cat "$log")" >&2; exit 1; }
/usr/bin/python3 -c "
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({'bootstrap.servers': '$bootstrap'})
[f.result() for f in a.create_topics([NewTopic('txn-bench', 1, 1), NewTopic('txn-read', 16, 1)]).values()]"
taskset -c 1 /usr/bin/python3 bench/transactions/txn_bench.py "$bootstrap" txn-bench "${1:-15}"
taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll transactions "$bootstrap" txn-bench "${1:-15}"
# PRODUCERS=N (N > 1) adds a run of N such producers at once (own connection and id each, same partition): what shared fsyncs give.
[ "${PRODUCERS:-1}" -le 1 ] || taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll transactions "$bootstrap" txn-bench "${1:-15}" "$PRODUCERS"
[ "$dataset" -eq 0 ] && exit 0
written=$(taskset -c 1 dotnet bench/Brook.Benchmarks/bin/Release/net10.0/Brook.Benchmarks.dll transactions-dataset "$bootstrap" txn-read 16 "$dataset" 10)
echo "$written"
field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$written" "$1"; }
/usr/bin/python3 bench/transactions/read_committed.py "$tool" "$bootstrap" txn-read 16 \
    "$(field committed_records)" "$(field aborted_records)" "$(field value_bytes)" "${3:-3}"
