"""Kafka load for bench/broker.sh through librdkafka (confluent-kafka). One job per invocation:

  load.py produce   BOOTSTRAP TOPIC SIZE SECONDS    acks=all throughput; prints JSON
  load.py consume   BOOTSTRAP TOPIC                 catch-up from the beginning to the current end
  load.py e2e       BOOTSTRAP TOPIC SECONDS READY   consumer half of the latency run (fetch.wait.max.ms default)
  load.py paced     BOOTSTRAP TOPIC RATE SECONDS    producer half: fixed rate of 1 KiB, produce-to-ack latency

Values start with the send time (time.time_ns, 8 bytes) so the consumer can compute end-to-end
latency. Every job prints one JSON line, including the process's own CPU seconds, so a client that
is itself the bottleneck shows up.
"""
import json, os, resource, struct, sys, time
from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING, KafkaException

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def producer(bootstrap):
    return Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 1,
                     "batch.size": 1048576, "queue.buffering.max.messages": 1000000,
                     "queue.buffering.max.kbytes": 1048576})

def partitions_of(bootstrap, topic):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-meta", "enable.auto.commit": False})
    md = c.list_topics(topic, timeout=10)
    c.close()
    return sorted(md.topics[topic].partitions)

def produce(bootstrap, topic, size, seconds):
    p = producer(bootstrap)
    value = b"x" * size
    acked = [0, 0]
    def done(err, msg):
        if err is None:
            acked[0] += 1
        else:
            acked[1] += 1
    c0, start = cpu(), time.monotonic()
    deadline = start + seconds
    sent = 0
    while time.monotonic() < deadline:
        for _ in range(1000):
            try:
                p.produce(topic, value, on_delivery=done)
                sent += 1
            except BufferError:
                p.poll(0.001)
        p.poll(0)
    p.flush(60)
    elapsed = time.monotonic() - start
    print(json.dumps({"job": "produce", "size": size, "acked": acked[0], "failed": acked[1], "seconds": elapsed,
                      "msgs_per_s": acked[0] / elapsed, "mb_per_s": acked[0] * size / elapsed / 1e6,
                      "client_cpu_s": cpu() - c0}))

def consume(bootstrap, topic):
    parts = partitions_of(bootstrap, topic)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-catchup", "enable.auto.commit": False,
                  "fetch.max.bytes": 52428800, "max.partition.fetch.bytes": 10485760})
    ends = {}
    for part in parts:
        lo, hi = c.get_watermark_offsets(TopicPartition(topic, part), timeout=10)
        ends[part] = hi
    target = sum(ends.values())
    c.assign([TopicPartition(topic, part, OFFSET_BEGINNING) for part in parts])
    got = nbytes = 0
    c0, start = cpu(), time.monotonic()
    deadline = start + 120
    while got < target and time.monotonic() < deadline:
        for m in c.consume(10000, 1.0):
            if m.error() is None:
                got += 1
                nbytes += len(m.value())
    elapsed = time.monotonic() - start
    c.close()
    print(json.dumps({"job": "consume", "records": got, "expected": target, "bytes": nbytes, "seconds": elapsed,
                      "mb_per_s": nbytes / elapsed / 1e6, "client_cpu_s": cpu() - c0}))

def pct(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]

def e2e(bootstrap, topic, seconds, ready_file):
    parts = partitions_of(bootstrap, topic)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-e2e", "enable.auto.commit": False})
    c.assign([TopicPartition(topic, part, OFFSET_BEGINNING) for part in parts])
    c.poll(1.0)
    open(ready_file, "w").close()
    lat = []
    c0 = cpu()
    deadline = time.monotonic() + seconds + 30
    idle_since = None
    while time.monotonic() < deadline:
        msgs = c.consume(1000, 0.1)
        now = time.time_ns()
        for m in msgs:
            if m.error() is None:
                lat.append(now - struct.unpack_from(">q", m.value())[0])
        if msgs:
            idle_since = None
        elif lat:
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 3:
                break
    c.close()
    lat.sort()
    print(json.dumps({"job": "e2e", "records": len(lat), "p50_ms": pct(lat, 0.5) / 1e6, "p99_ms": pct(lat, 0.99) / 1e6,
                      "p9999_ms": pct(lat, 0.9999) / 1e6, "max_ms": (lat[-1] / 1e6) if lat else None, "client_cpu_s": cpu() - c0}))

def paced(bootstrap, topic, rate, seconds):
    p = producer(bootstrap)
    pad = b"x" * (1024 - 8)
    lat = []
    failed = [0]
    def done(err, msg):
        if err is None:
            lat.append(time.time_ns() - struct.unpack_from(">q", msg.value())[0])
        else:
            failed[0] += 1
    c0, start = cpu(), time.monotonic()
    total = int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        while True:
            now = time.monotonic()
            if now >= due:
                break
            p.poll(min(due - now, 0.0005))
        p.produce(topic, struct.pack(">q", time.time_ns()) + pad, on_delivery=done)
        p.poll(0)
    p.flush(60)
    elapsed = time.monotonic() - start
    lat.sort()
    print(json.dumps({"job": "paced", "sent": total, "acked": len(lat), "failed": failed[0], "rate": total / elapsed,
                      "p50_ms": pct(lat, 0.5) / 1e6, "p99_ms": pct(lat, 0.99) / 1e6, "client_cpu_s": cpu() - c0}))

if __name__ == "__main__":
    job, args = sys.argv[1], sys.argv[2:]
    if job == "produce":
        produce(args[0], args[1], int(args[2]), float(args[3]))
    elif job == "consume":
        consume(args[0], args[1])
    elif job == "e2e":
        e2e(args[0], args[1], float(args[2]), args[3])
    elif job == "paced":
        paced(args[0], args[1], float(args[2]), float(args[3]))
    else:
        sys.exit("unknown job " + job)
