"""bench/transactions.sh, read phase: consumes the transactional data set (written by
`Brook.Benchmarks transactions-dataset`) from the beginning with rdkafka_performance (librdkafka's C
load tool), isolation.level read_committed and read_uncommitted alternated ROUNDS times. Prints one
JSON line per run and a summary line with the medians and the read_committed / read_uncommitted
ratio of MB/s. Delivered MB/s counts the bytes each consumer got (read_committed gets fewer: the
aborted records are skipped); log MB/s counts the data set's bytes (committed + aborted) per second,
i.e. how fast each one got through the same log.
Usage: read_committed.py TOOL BOOTSTRAP TOPIC PARTITIONS COMMITTED_RECORDS ABORTED_RECORDS VALUE_BYTES [ROUNDS]"""
import json, re, statistics, subprocess, sys

CONSUMED = re.compile(r"(\d+) messages \((\d+) bytes\) consumed in (\d+)ms")

tool, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]
partitions, committed, aborted, value_bytes = (int(x) for x in sys.argv[4:8])
rounds = int(sys.argv[8]) if len(sys.argv) > 8 else 3
log_bytes = (committed + aborted) * value_bytes

def consume(isolation):
    expected = committed if isolation == "read_committed" else committed + aborted
    args = ["taskset", "-c", "1", tool, "-C", "-t", topic, "-b", bootstrap]
    for p in range(partitions):
        args += ["-p", str(p)]
    args += ["-o", "beginning", "-c", str(expected), "-B", "10000", "-q", "-X", "isolation.level=" + isolation,
             "-X", "fetch.max.bytes=52428800", "-X", "max.partition.fetch.bytes=10485760"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    m = CONSUMED.findall(out.stdout + out.stderr)
    if out.returncode != 0 or not m:
        raise SystemExit(f"rdkafka_performance {isolation} failed ({out.returncode}): {(out.stdout + out.stderr)[-2000:]}")
    records, nbytes, ms = (int(x) for x in m[-1])
    if records != expected:
        raise SystemExit(f"{isolation}: consumed {records} records, expected {expected}")
    seconds = max(ms, 1) / 1000
    return {"isolation": isolation, "records": records, "bytes": nbytes, "seconds": seconds,
            "delivered_mb_per_s": round(nbytes / seconds / 1e6, 1), "log_mb_per_s": round(log_bytes / seconds / 1e6, 1)}

runs = {"read_committed": [], "read_uncommitted": []}
for r in range(rounds):
    # Alternate which goes first so neither always runs on a warmer or colder machine.
    order = ["read_committed", "read_uncommitted"] if r % 2 == 0 else ["read_uncommitted", "read_committed"]
    for isolation in order:
        run = consume(isolation)
        runs[isolation].append(run)
        print(json.dumps(run), flush=True)

def median(isolation, field):
    return round(statistics.median(run[field] for run in runs[isolation]), 1)

summary = {"job": "read_committed_vs_uncommitted", "rounds": rounds, "partitions": partitions,
           "committed_records": committed, "aborted_records": aborted}
for isolation in runs:
    summary[isolation + "_delivered_mb_per_s"] = median(isolation, "delivered_mb_per_s")
    summary[isolation + "_log_mb_per_s"] = median(isolation, "log_mb_per_s")
summary["delivered_ratio"] = round(summary["read_committed_delivered_mb_per_s"] / summary["read_uncommitted_delivered_mb_per_s"], 3)
summary["log_ratio"] = round(summary["read_committed_log_mb_per_s"] / summary["read_uncommitted_log_mb_per_s"], 3)
print(json.dumps(summary))
