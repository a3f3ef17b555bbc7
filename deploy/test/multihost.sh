#!/usr/bin/env bash
# Veerkracht on several hosts, built on this one machine with network namespaces (docs/beheer/schalen.md):
#
#   vkmh-db    10.231.77.10  PostgreSQL primary (:5432), its streaming replica (:5433), Redis (:6379)
#   vkmh-app1  10.231.77.11  `veerkracht serve` (:8000) and `veerkracht worker`
#   vkmh-app2  10.231.77.12  the same
#   vkmh-lb    10.231.77.20  HAProxy (:80), health checks on /readyz
#
# joined by veth pairs on a bridge (vkmh0, 10.231.77.1 on this side). The load comes from outside
# them (this machine's own namespace) through the balancer; deploy/test/multihost.py drives the
# run, stops an application host and restarts the primary, and prints the table.
#
# Run as root: `sudo make multihost` (not part of `make test`). Needs iproute2, PostgreSQL 15's
# server binaries, redis-server and haproxy (installed from Debian's packages when missing).
# Everything it starts is stopped, and the namespaces removed, when it ends, also on Ctrl-C.
# This machine is on the hosts' subnet too (10.231.77.1), so nothing there trusts it: PostgreSQL
# and Redis get passwords made for each run (scram-sha-256; in files only the postgres user reads,
# never on a command line), pg_hba.conf lets in only the application hosts (as the application's
# role), this machine (as the superuser and the owner, for the driver) and the database host itself
# (replication); `serve` and `worker` run as the user nobody, not as root.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PREFIX=vkmh
SUBNET=10.231.77
HOSTS=(db app1 app2 lb)
ADDRESSES=(10 11 12 20)

if [[ $EUID -ne 0 ]]; then
    echo "multihost: run as root (network namespaces need it): sudo make multihost" >&2
    exit 2
fi
for tool in ip runuser setpriv; do
    command -v "$tool" >/dev/null || { echo "multihost: $tool is missing" >&2; exit 2; }
done
[[ -x $PG_BIN/postgres ]] || { echo "multihost: no PostgreSQL server in $PG_BIN (PG_BIN=...)" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "multihost: redis-server is missing (apt-get install redis-server)" >&2; exit 2; }
if ! command -v haproxy >/dev/null; then
    echo "multihost: installing haproxy from Debian's packages"
    apt-get install -y -q haproxy >/dev/null
fi
# Debian starts the packaged services on install; ours run in their namespaces only.
for unit in haproxy redis-server; do
    systemctl is-active --quiet "$unit" 2>/dev/null && echo "multihost: note: $unit.service runs on this machine too (left alone)"
done

WORK=$(mktemp -d /tmp/vk-multihost.XXXXXX)
chmod 755 "$WORK"

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    echo "multihost: cleaning up"
    for host in "${HOSTS[@]}"; do
        ns=$PREFIX-$host
        ip netns list | grep -qw "$ns" || continue
        # Every process still in the namespace is one this run started (by id, never by name).
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
    done
    sleep 2
    for host in "${HOSTS[@]}"; do
        ns=$PREFIX-$host
        ip netns list | grep -qw "$ns" || continue
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
    done
    ip link del "${PREFIX}0" 2>/dev/null || true
    if [[ ${KEEP_WORK:-0} == 1 ]]; then
        echo "multihost: logs kept in $WORK"
    else
        rm -rf --one-file-system "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT INT TERM

# A run that was killed hard leaves its namespaces: remove them first.
for host in "${HOSTS[@]}"; do
    ns=$PREFIX-$host
    if ip netns list | grep -qw "$ns"; then
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$ns"
    fi
done
ip link del "${PREFIX}0" 2>/dev/null || true

ip link add "${PREFIX}0" type bridge
ip addr add "$SUBNET.1/24" dev "${PREFIX}0"
ip link set "${PREFIX}0" up
for index in "${!HOSTS[@]}"; do
    host=${HOSTS[$index]}
    ns=$PREFIX-$host
    ip netns add "$ns"
    ip link add "$PREFIX-$host-h" type veth peer name "$PREFIX-$host-n"
    ip link set "$PREFIX-$host-h" master "${PREFIX}0" up
    ip link set "$PREFIX-$host-n" netns "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$PREFIX-$host-n" name eth0
    ip -n "$ns" addr add "$SUBNET.${ADDRESSES[$index]}/24" dev eth0
    ip -n "$ns" link set eth0 up
done
# The bridge must pass frames between the namespaces even where br_netfilter filters bridged traffic.
if [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] && [[ $(cat /proc/sys/net/bridge/bridge-nf-call-iptables) == 1 ]]; then
    echo "multihost: note: bridged traffic passes iptables here; allow ${PREFIX}0 if a firewall drops it"
fi
echo "multihost: namespaces up (${HOSTS[*]}), work directory $WORK"

PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}" \
    "$PYTHON" "$ROOT/deploy/test/multihost.py" --work "$WORK" --pg-bin "$PG_BIN" --prefix "$PREFIX" --subnet "$SUBNET" "$@"
