"""The paced latency phase of bench/broker.sh through bench/paced/paced_latency.c (built by
bench/paced.sh): the producer sleeps until each message's scheduled time (start + i / rate) and
measures produce-to-ack from that time, so a stalled client or broker cannot hide behind a
slowed-down schedule (no coordinated omission), and its delivery reports are served by a thread
blocked in rd_kafka_poll instead of rdkafka_performance's busy poll, which on the one client core
competes with librdkafka's own I/O thread and the consumer. The consumer starts at the high
watermarks (ready before the producer starts), default fetch.wait.max.ms (500).
Returns the fields of rdkafka_load.latency() plus whole-run/steady-state percentiles."""
import json, os, resource, subprocess, time

def _children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def _last_json(text, what):
    lines = [l for l in text.strip().splitlines() if l.startswith("{")]
    if not lines:
        raise SystemExit(f"paced_latency {what}: no summary")
    return json.loads(lines[-1])

def latency(tool, bootstrap, topic, rate, count, tmp):
    ready = os.path.join(tmp, "paced-ready")
    c0 = _children_cpu()
    consumer = subprocess.Popen(["taskset", "-c", "1", tool, "consume", bootstrap, topic, str(count), ready],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, IDLE_S="20"))
    for _ in range(600):
        if os.path.exists(ready) or consumer.poll() is not None:
            break
        time.sleep(0.05)
    out = subprocess.run(["taskset", "-c", "1", tool, "produce", bootstrap, topic, str(rate), str(count), "1024"],
                         capture_output=True, text=True, timeout=count / rate * 4 + 60)
    produced = _last_json(out.stdout, "produce: " + out.stderr[-2000:])
    try:
        text, _ = consumer.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        consumer.terminate()
        text, _ = consumer.communicate(timeout=10)
    consumed = _last_json(text, "consume")
    cpu = _children_cpu() - c0
    ack, ack_steady = produced["ack_all"], produced["ack_steady"]
    e2e, e2e_steady = consumed["e2e_all"], consumed["e2e_steady"]
    paced = {"job": "paced", "tool": "paced_latency", "sent": produced["sent"], "acked": produced["acked"],
             "failed": produced["failed"], "rate": produced["rate"], "p50_ms": ack["p50_ms"], "p99_ms": ack["p99_ms"],
             "p999_ms": ack["p999_ms"], "steady": ack_steady, "send_late_steady": produced["send_late_steady"],
             "client_cpu_s": cpu}
    e2e_result = {"job": "e2e", "tool": "paced_latency", "records": consumed["records"], "p50_ms": e2e["p50_ms"],
                  "p99_ms": e2e["p99_ms"], "p9999_ms": e2e["p9999_ms"], "max_ms": e2e["max_ms"], "steady": e2e_steady,
                  "client_cpu_s": 0.0}
    return paced, e2e_result
