#!/usr/bin/env bash
# Measures how fast `brook start` accepts Kafka connections on a fresh data directory, and its idle
# memory. Each run: pick free ports, exec the built binary, connect to the Kafka port in a tight
# loop until it accepts (time from exec to accept), wait a second idle, read VmRSS from
# /proc/<pid>/status, SIGTERM it and check it exits 0.
# The CPU time the process used until then is printed too: unlike wall time it does not grow
# when other work shares the machine.
# Usage: bench/startup.sh [runs] [path/to/brook]   (without a path, builds src/Brook in Release)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
brook=${2:-}
if [ -z "$brook" ]; then
    dotnet build src/Brook -c Release -nologo -v quiet >/dev/null
    brook=src/Brook/bin/Release/net10.0/brook
fi

python3 - "$brook" "$runs" <<'PY'
import os, signal, socket, statistics, subprocess, sys, tempfile, time

brook, runs = sys.argv[1], int(sys.argv[2])

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def cpu_ms(pid):
    # utime + stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks.
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

ready_ms, ready_cpu, rss = [], [], []
for run in range(runs):
    kafka, admin = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="brook-bench-") as data:
        start = time.perf_counter()
        child = subprocess.Popen([brook, "start", "--data-dir", os.path.join(data, "d"),
                                  "--kafka-listener", f"127.0.0.1:{kafka}", "--admin-listener", f"127.0.0.1:{admin}"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                socket.create_connection(("127.0.0.1", kafka), timeout=1).close()
                break
            except OSError:
                if child.poll() is not None:
                    sys.exit(f"brook exited with {child.returncode} before listening")
        ready_ms.append((time.perf_counter() - start) * 1000)
        ready_cpu.append(cpu_ms(child.pid))
        time.sleep(1)
        rss.append(rss_mb(child.pid))
        child.send_signal(signal.SIGTERM)
        code = child.wait(timeout=20)
        if code != 0:
            sys.exit(f"brook exited with {code} on SIGTERM")
        print(f"run {run + 1}: accepting after {ready_ms[-1]:.0f} ms ({ready_cpu[-1]:.0f} ms CPU), idle RSS {rss[-1]:.1f} MB")

print(f"median of {runs}: accepting after {statistics.median(ready_ms):.0f} ms ({statistics.median(ready_cpu):.0f} ms CPU), "
      f"idle RSS {statistics.median(rss):.1f} MB; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
PY
