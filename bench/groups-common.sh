# Sourced by bench/groups.sh and bench/groups-commit.sh: one fresh brook (Release) on core 0 over a
# temp data dir. start_brook [ENV=VALUE ...] sets brook_pid and port; stop_brook removes it again.
brook=${BROOK_BINARY:-src/Brook/bin/Release/net10.0/brook}
brook_pid=""
data=""
stop_brook() {
    if [ -n "$brook_pid" ]; then kill "$brook_pid" 2>/dev/null || true; wait "$brook_pid" 2>/dev/null || true; fi
    if [ -n "$data" ]; then rm -rf "$data"; fi
    brook_pid=""
    data=""
}
trap stop_brook EXIT INT TERM
# start_brook rebalance-delay-ms [ENV=VALUE ...]
start_brook() {
    local delay=$1
    shift
    data=$(mktemp -d /tmp/brook-groups-bench.XXXXXX)
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    env "$@" taskset -c 0 "$brook" start --data-dir "$data" --kafka-listener "127.0.0.1:$port" --admin-listener none \
        --log-level warning --group-initial-rebalance-delay-ms "$delay" >/dev/null &
    brook_pid=$!
    for _ in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        sleep 0.05
    done
}
