#!/usr/bin/env bash
# Builds bench/paced/paced_latency.c (the sleeping, schedule-based latency tool) against the
# librdkafka that bench/rdkafka.sh builds in bench/.cache/rdkafka, and prints its path.
# Rebuilds when the source is newer than the cached binary.
set -euo pipefail
cd "$(dirname "$0")"
./rdkafka.sh >/dev/null
cache=$PWD/.cache/rdkafka
src=$(find "$cache" -maxdepth 1 -type d -name 'librdkafka-*' | head -n 1)
binary=$cache/paced_latency
if [ ! -x "$binary" ] || [ paced/paced_latency.c -nt "$binary" ]; then
    gcc -O2 -Wall -Wextra -std=gnu11 -I"$src/src" -o "$binary" paced/paced_latency.c \
        "$src/src/librdkafka.a" -lm -lz -ldl -lpthread -lrt >&2
fi
echo "$binary"
