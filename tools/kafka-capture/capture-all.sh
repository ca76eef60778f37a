#!/usr/bin/env bash
# Regenerates tests/fixtures/captured/*.hex: runs the fake capture broker, drives kcat
# (librdkafka) and kafka-python against it, and keeps the first frame of each API per run.
# Needs: kcat, python3-kafka, and python3-lz4 python3-snappy python3-zstandard for
# kafka-python's codecs (apt-get install them). Run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../../tests/fixtures/captured"
port="${CAPTURE_PORT:-19192}"
bootstrap="127.0.0.1:$port"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$fixtures"

rdkafka_version="$(/usr/bin/python3 -c 'import confluent_kafka; print(confluent_kafka.libversion()[0])' 2>/dev/null || echo 2.0.2)"
kafka_python_version="$(/usr/bin/python3 -c 'import kafka; print(kafka.__version__)')"

# The fixture records: five keyed records with compressible values, two headers on each.
records_tsv() {
    for i in 1 2 3 4 5; do
        printf 'key-%d\tvalue-%d:%s\n' "$i" "$i" "$(printf 'abcdefghij%.0s' $(seq 20))"
    done
}

# run_capture DIR COMMAND...: starts the broker, runs the client, stops the broker.
run_capture() {
    local dir="$1"; shift
    mkdir -p "$dir"
    /usr/bin/python3 "$here/kafka_capture.py" --port "$port" --out "$dir" --seconds 60 2>"$dir.log" &
    local broker=$!
    # Wait (with a deadline) until the broker accepts connections.
    for _ in $(seq 50); do
        if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    "$@" || echo "capture-all: client exited with $?" >&2
    kill "$broker" 2>/dev/null || true
    wait "$broker" 2>/dev/null || true
}

# keep DIR API PREFIX [SUFFIX]: for each version of API seen in DIR, copies its first frame
# to PREFIX-<api>-vN[-SUFFIX].hex (kafka-python, for one, sends Metadata v0 and then v1).
keep() {
    local dir="$1" api="$2" prefix="$3" suffix="${4:+-$4}"
    local lower files file version
    lower="$(echo "$api" | tr '[:upper:]' '[:lower:]')"
    files="$(ls "$dir" | grep -E "^[0-9]+-$api-v[0-9]+\.hex$" || true)"
    if [ -z "$files" ]; then
        echo "capture-all: no $api frame in $dir" >&2
        return 1
    fi
    for version in $(echo "$files" | sed -E 's/.*-v([0-9]+)\.hex/\1/' | sort -un); do
        file="$(echo "$files" | grep -E -- "-v$version\.hex$" | head -n 1)"
        cp "$dir/$file" "$fixtures/$prefix-$lower-v$version$suffix.hex"
        echo "capture-all: $prefix-$lower-v$version$suffix.hex"
    done
}

rd="librdkafka-$rdkafka_version"
for codec in none gzip snappy lz4 zstd; do
    run_capture "$work/rd-$codec" sh -c "$(declare -f records_tsv); records_tsv | timeout 20 kcat -P -b $bootstrap -t records -p 0 -K '\t' -z $codec -H h1=alpha -H h2=beta -X linger.ms=500"
    keep "$work/rd-$codec" Produce "$rd" "$codec"
done
keep "$work/rd-none" ApiVersions "$rd"
keep "$work/rd-none" Metadata "$rd"
run_capture "$work/rd-fetch" timeout 20 kcat -C -b "$bootstrap" -t records -p 0 -o 0 -e
keep "$work/rd-fetch" Fetch "$rd"

kp="kafka-python-$kafka_python_version"
for codec in none gzip snappy lz4 zstd; do
    run_capture "$work/kp-$codec" timeout 30 /usr/bin/python3 "$here/kafka_python_client.py" "$bootstrap" produce "$codec"
    keep "$work/kp-$codec" Produce "$kp" "$codec"
done
keep "$work/kp-none" ApiVersions "$kp"
keep "$work/kp-none" Metadata "$kp"
run_capture "$work/kp-fetch" timeout 30 /usr/bin/python3 "$here/kafka_python_client.py" "$bootstrap" fetch
keep "$work/kp-fetch" Fetch "$kp"
