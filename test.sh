#!/usr/bin/env bash
# Runs Brook's whole test suite: installs what the tests need (idempotently), builds with
# warnings as errors, runs every test project, and ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"

# Real Kafka clients the interoperability tests drive, and libsnappy for the snappy codec.
apt_packages=(kcat python3-kafka python3-confluent-kafka libsnappy1v5 liblz4-1 libzstd1)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node clients (kafkajs) for the interoperability tests, when a test folder asks for them.
for dir in tests/interop/node; do
    if [ -f "$dir/package.json" ] && [ ! -d "$dir/node_modules/kafkajs" ]; then
        (cd "$dir" && npm install --no-audit --no-fund --silent)
    fi
done

dotnet build Brook.slnx -c Release -warnaserror -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Brook.slnx -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test assembly; add them up into one closing line.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    exit 1
fi
