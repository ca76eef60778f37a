#!/usr/bin/env bash
# Builds librdkafka's own load tool, rdkafka_performance, from Debian's librdkafka source package
# and prints its path. Idempotent: the source and the binary are cached under bench/.cache/rdkafka
# (ignored by git), so later runs print the cached path at once.
# The deb-src entry is derived from the machine's own apt sources (same URIs, suites, keyring).
set -euo pipefail
cd "$(dirname "$0")"
cache=$PWD/.cache/rdkafka
binary=$cache/rdkafka_performance
if [ -x "$binary" ]; then
    echo "$binary"
    exit 0
fi
mkdir -p "$cache"
if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # deb822 stanzas: same entries with Types deb-src; one-line format: deb -> deb-src.
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >/etc/apt/sources.list.d/brook-deb-src.sources
    else
        grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >/etc/apt/sources.list.d/brook-deb-src.list
    fi
    apt-get update -qq >&2
fi
command -v dpkg-source >/dev/null || apt-get install -y -qq dpkg-dev >&2
cd "$cache"
src=$(find . -maxdepth 1 -type d -name 'librdkafka-*' | head -n 1)
if [ -z "$src" ]; then
    apt-get source -qq librdkafka >&2
    src=$(find . -maxdepth 1 -type d -name 'librdkafka-*' | head -n 1)
fi
cd "$src"
# Only what the load tool needs: no SASL/SSL/compression libraries required to build it.
[ -f Makefile.config ] || ./configure --disable-ssl --disable-gssapi --disable-sasl --disable-zstd --disable-lz4-ext --disable-curl >&2
make -j2 libs >&2
make -C examples rdkafka_performance >&2
cp examples/rdkafka_performance "$binary"
echo "$binary"
