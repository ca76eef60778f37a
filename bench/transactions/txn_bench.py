"""bench/transactions.sh: one transactional producer (confluent-kafka = librdkafka 2.0.2) commits
transactions of RECORDS x SIZE bytes back to back to one partition for SECONDS; prints commits/s
and per-commit latency percentiles as JSON. Usage: txn_bench.py BOOTSTRAP TOPIC SECONDS [RECORDS] [SIZE]"""
import json, sys, time
from confluent_kafka import Producer

bootstrap, topic, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
records = int(sys.argv[4]) if len(sys.argv) > 4 else 100
size = int(sys.argv[5]) if len(sys.argv) > 5 else 1024
p = Producer({"bootstrap.servers": bootstrap, "transactional.id": "bench-txn", "linger.ms": 1,
              "batch.size": 4 * 1024 * 1024, "compression.type": "none"})
p.init_transactions(30)
value = b"x" * size

def one():
    p.begin_transaction()
    for _ in range(records):
        p.produce(topic, value=value, partition=0)
    p.commit_transaction(30)

warm_until = time.perf_counter() + 3
while time.perf_counter() < warm_until:
    one()  # warm-up by time: a fresh broker runs tier-0 and instrumented JIT code for seconds
latencies = []
start = time.perf_counter()
while time.perf_counter() - start < seconds:
    t0 = time.perf_counter()
    one()
    latencies.append(time.perf_counter() - t0)
elapsed = time.perf_counter() - start
latencies.sort()
pct = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 2)
print(json.dumps({"commits": len(latencies), "seconds": round(elapsed, 2), "commits_per_s": round(len(latencies) / elapsed, 1),
                  "records_per_s": round(len(latencies) * records / elapsed), "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": pct(1.0)}))
