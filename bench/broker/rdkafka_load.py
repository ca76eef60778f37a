"""The load of bench/broker.sh through rdkafka_performance (librdkafka's own C load tool, built by
bench/rdkafka.sh), so the client is not the Python loop of load.py. Each function returns the same
fields as the matching load.py job. Client CPU is the child's getrusage (all its threads)."""
import os, re, resource, subprocess, time

PRODUCED = re.compile(r"(\d+) messages produced \((\d+) bytes\), (\d+) delivered \(offset -?\d+, (\d+) failed\) in (\d+)ms")
CONSUMED = re.compile(r"(\d+) messages \((\d+) bytes\) consumed in (\d+)ms")

def _children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def _run(tool, args, timeout):
    c0 = _children_cpu()
    out = subprocess.run(["taskset", "-c", "1", tool] + args, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise SystemExit(f"rdkafka_performance {' '.join(args[:4])} failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout + out.stderr, _children_cpu() - c0

def _producer_args(bootstrap, topic, size, count):
    return ["-P", "-t", topic, "-b", bootstrap, "-s", str(size), "-a", "-1", "-c", str(count), "-q",
            "-X", "linger.ms=1", "-X", "batch.size=1048576",
            "-X", "queue.buffering.max.messages=1000000", "-X", "queue.buffering.max.kbytes=1048576"]

def _partitions(count):
    args = []
    for p in range(count):
        args += ["-p", str(p)]
    return args

def produce(tool, bootstrap, topic, size, count):
    """acks=all, linger 1 ms, batch 1 MiB: `count` messages; rate = delivered / time to the last delivery."""
    text, cpu = _run(tool, _producer_args(bootstrap, topic, size, count), timeout=600)
    m = PRODUCED.findall(text)
    if not m:
        raise SystemExit("no producer summary: " + text[-2000:])
    _, _, delivered, failed, ms = (int(x) for x in m[-1])
    seconds = ms / 1000
    return {"job": "produce", "size": size, "acked": delivered, "failed": failed, "seconds": seconds,
            "msgs_per_s": delivered / seconds, "mb_per_s": delivered * size / seconds / 1e6, "client_cpu_s": cpu}

def consume(tool, bootstrap, topic, partitions, expected):
    """Catch-up: every partition from the beginning until `expected` messages; timed from the first
    message to the last. librdkafka's default fetch sizes (1 MiB per partition, 50 MiB per request).
    Not batch mode (`-B`): rdkafka_performance turns on partition-EOF events, which take slots of
    a batch without counting as messages, so its last batch waited out its 1 s timeout inside the
    measured time. Not larger fetches either: librdkafka mallocs each response whole, and above
    glibc's 32 MiB mmap ceiling every response is a fresh mmap whose pages fault in (the client
    spent twice the system time at 50 MiB per response; bench/RESULTS.md, session 6)."""
    args = ["-C", "-t", topic, "-b", bootstrap] + _partitions(partitions) + [
        "-o", "beginning", "-c", str(expected), "-q"]
    text, cpu = _run(tool, args, timeout=300)
    m = CONSUMED.findall(text)
    if not m:
        raise SystemExit("no consumer summary: " + text[-2000:])
    records, nbytes, ms = (int(x) for x in m[-1])
    seconds = max(ms, 1) / 1000
    return {"job": "consume", "records": records, "expected": expected, "bytes": nbytes, "seconds": seconds,
            "mb_per_s": nbytes / seconds / 1e6, "client_cpu_s": cpu}

def _percentiles(path):
    try:
        with open(path) as f:
            values = sorted(int(line) for line in f if line.strip())
    except FileNotFoundError:
        values = []
    def pct(q):
        return values[min(len(values) - 1, int(q * len(values)))] / 1000 if values else float("nan")
    return values, pct

def latency(tool, bootstrap, topic, partitions, rate, count, tmp):
    """A consumer (default fetch.wait.max.ms=500) from the end, then a producer paced at `rate`
    (acks=all, linger 1 ms) with `-l`: each value carries its send time; the producer records
    produce-to-ack per message, the consumer end to end (both microseconds, one per line)."""
    acks, e2e = os.path.join(tmp, "acks.us"), os.path.join(tmp, "e2e.us")
    c0 = _children_cpu()
    consumer = subprocess.Popen(["taskset", "-c", "1", tool, "-C", "-t", topic, "-b", bootstrap] + _partitions(partitions)
                                + ["-o", "end", "-l", "-A", e2e, "-c", str(count), "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)  # the simple consumer has no ready signal: give it time to connect and reach the end
    text, _ = _run(tool, _producer_args(bootstrap, topic, 1024, count) + ["-r", str(rate), "-l", "-A", acks],
                   timeout=count / rate * 4 + 60)
    try:
        consumer.wait(30)
    except subprocess.TimeoutExpired:
        consumer.terminate()
        consumer.wait(10)
    cpu = _children_cpu() - c0
    ack_values, ack = _percentiles(acks)
    e2e_values, end = _percentiles(e2e)
    m = PRODUCED.findall(text)
    delivered = int(m[-1][2]) if m else len(ack_values)
    seconds = int(m[-1][4]) / 1000 if m else float("nan")
    paced = {"job": "paced", "sent": count, "acked": delivered, "failed": count - delivered, "rate": delivered / seconds,
             "p50_ms": ack(0.5), "p99_ms": ack(0.99), "client_cpu_s": cpu}
    e2e_result = {"job": "e2e", "records": len(e2e_values), "p50_ms": end(0.5), "p99_ms": end(0.99), "p9999_ms": end(0.9999),
                  "max_ms": e2e_values[-1] / 1000 if e2e_values else None, "client_cpu_s": 0.0}
    return paced, e2e_result
