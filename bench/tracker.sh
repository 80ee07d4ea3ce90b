#!/usr/bin/env bash
# Announces per second on loopback against opentracker and `shoal tracker` in one run, HTTP
# (keep-alive) and UDP (BEP 15), from bench/Shoal.TrackerLoad: rate, p50/p99/max latency,
# errors, the tracker's and the generator's CPU over the measured window (% of one core) and
# the tracker's peak RSS. Then a fill: every one of
# FILL_PEERS peers announces once over FILL_HASHES info-hashes, and the tracker's RSS after it.
# Run by hand; not a test. A tracker that cannot start is reported and the run goes on.
#
# usage: [DURATION=15] [WARMUP=3] [HTTP_CONCURRENCY=8] [UDP_CONCURRENCY=8] [HASHES=1000]
#        [PEERS=100000] [NUMWANT=50] [SEED=1] [FILL_HASHES=100000] [FILL_PEERS=1000000]
#        [FILL_TRANSPORT=udp] [TRACKERS="opentracker shoal"] [PHASES="load fill"] [PIN=1]
#        [SHOAL_TRACKER_ARGS=...] bench/tracker.sh
#   PIN=1 runs the tracker on CPU 0 and the generator on CPU 1 (taskset), so neither takes
#   the other's core; PIN=0 lets the scheduler place both. KEEP=1 keeps the work folder (logs).
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
duration="${DURATION:-15}"
warmup="${WARMUP:-3}"
http_concurrency="${HTTP_CONCURRENCY:-8}"
udp_concurrency="${UDP_CONCURRENCY:-8}"
hashes="${HASHES:-1000}"
peers="${PEERS:-100000}"
numwant="${NUMWANT:-50}"
seed="${SEED:-1}"
fill_hashes="${FILL_HASHES:-100000}"
fill_peers="${FILL_PEERS:-1000000}"
fill_transport="${FILL_TRANSPORT:-udp}"
trackers="${TRACKERS:-opentracker shoal}"
phases="${PHASES:-load fill}"
pin="${PIN:-1}"
generator="$root/bench/Shoal.TrackerLoad/bin/Release/net10.0/Shoal.TrackerLoad.dll"

[ -x /usr/bin/opentracker ] || { echo "needs opentracker: apt-get install opentracker" >&2; exit 1; }
tracker_cpu=(); generator_cpu=()
if [ "$pin" = 1 ]; then tracker_cpu=(taskset -c 0); generator_cpu=(taskset -c 1); fi

work="$(mktemp -d "${TMPDIR:-/tmp}/shoal-tracker.XXXXXX")"
chmod 755 "$work"   # opentracker drops privileges and must still read its whitelist
pids=()   # every tracker this script starts, ended by PID on exit
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    sleep 0.5
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source "$(dirname "$(readlink -f "$0")")/lib.sh"
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
generate() { "${generator_cpu[@]}" dotnet "$generator" "$@"; }

# Waits until something accepts TCP connections on 127.0.0.1:PORT while PID lives; 60 s at most.
wait_for_port() {
    local port="$1" pid="$2" i
    for i in $(seq 1 600); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# Starts NAME on a free port for the given number of info-hashes; sets port and pid.
start_tracker() {
    local name="$1" count="$2" dir="$work/$1-$2"
    mkdir -p "$dir" && chmod 755 "$dir"
    port="$(free_port)"
    case "$name" in
        opentracker)
            # Debian's build only serves whitelisted hashes; the path is inside the chroot dir.
            generate hashes --out "$dir/whitelist.txt" --hashes "$count" --seed "$seed" || return 1
            chmod 644 "$dir/whitelist.txt"
            "${tracker_cpu[@]}" /usr/bin/opentracker -i 127.0.0.1 -p "$port" -P "$port" -d "$dir" \
                -w whitelist.txt -A 127.0.0.1 >"$work/$name-$count.log" 2>&1 &
            ;;
        shoal)
            "${tracker_cpu[@]}" "$root/shoal" tracker --port "$port" --data "$dir" "${shoal_args[@]}" \
                >"$work/$name-$count.log" 2>&1 &
            ;;
    esac
    pid=$!
    pids+=("$pid")
    if ! wait_for_port "$port" "$pid"; then
        echo "$name did not start; log:" >&2
        tail -n 20 "$work/$name-$count.log" >&2
        return 1
    fi
}

stop_tracker() {
    kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

# Runs the generator against the tracker (pid, port) and prints one table row.
measure() {
    local name="$1" transport="$2" concurrency="$3" out line
    out="$(generate "$transport" --target "127.0.0.1:$port" --duration "$duration" --warmup "$warmup" \
        --concurrency "$concurrency" --hashes "$hashes" --peers "$peers" --numwant "$numwant" --seed "$seed" \
        --watch-pid "$pid" 2>&1)"
    echo "$out" >"$work/$name-$transport.out"
    grep -o 'first error: .*' <<<"$out" | sed "s/^/$name $transport: /" >>"$work/notes.txt"
    line="$(grep '^RESULT ' <<<"$out")"
    if [ -z "$line" ]; then
        printf '| %s | %s | failed: %s |\n' "$name" "$transport" "$(tail -n 1 <<<"$out")"
        return
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s %% | %s %% |\n' "$name" "$transport" \
        "$(field "$line" rate)" "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" "$(field "$line" max_ms)" \
        "$(field "$line" errors)" "$(field "$line" timeouts)" "$(field "$line" connects)" \
        "$(field "$line" tracker_cpu)" "$(field "$line" generator_cpu)"
}

fill() {
    local name="$1" s0 s1 out line before
    start_tracker "$name" "$fill_hashes" || { printf '| %s | did not start |\n' "$name"; return; }
    before="$(status_kb "$pid" VmRSS)"
    s0="$(now)"
    out="$(generate "$fill_transport" --fill --target "127.0.0.1:$port" --concurrency "$udp_concurrency" \
        --hashes "$fill_hashes" --peers "$fill_peers" --numwant 0 --seed "$seed" --timeout 5 2>&1)"
    s1="$(now)"
    echo "$out" >"$work/$name-fill.out"
    grep -o 'first error: .*' <<<"$out" | sed "s/^/$name fill: /" >>"$work/fill.txt"
    line="$(grep '^RESULT ' <<<"$out")"
    sleep 2   # let the tracker settle (a .NET tracker may still be collecting)
    printf '| %s | %s | %s | %s | %s MiB | %s MiB | %s MiB |\n' "$name" "$(field "$line" announces)" \
        "$(awk -v s="$s0" -v e="$s1" 'BEGIN { printf "%.1f s", e - s }')" \
        "$(field "$line" errors)/$(field "$line" timeouts)" "$(mib "$before")" \
        "$(mib "$(status_kb "$pid" VmRSS)")" "$(mib "$(status_kb "$pid" VmHWM)")"
    if [ "$name" = opentracker ] && command -v curl >/dev/null; then
        # -A 127.0.0.1 lets us read its statistics: the first line is the number of peers held.
        echo "opentracker holds $(curl -s "http://127.0.0.1:$port/stats?mode=peer" | head -n 1) peers" >>"$work/fill.txt"
    fi
    stop_tracker "$pid"
}

echo "building the load generator..." >&2
dotnet build "$root/bench/Shoal.TrackerLoad" -c Release --nologo -v q >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; exit 1; }

shoal_args=()
if [[ " $trackers " == *" shoal "* ]]; then
    echo "building shoal..." >&2
    # An unknown command prints the root help and succeeds, so look for it in the command list.
    if ! "$root/shoal" --help 2>/dev/null | grep -qE '^ +tracker( |$)'; then
        echo "note: this tree has no 'shoal tracker' command; measuring opentracker only" >&2
        trackers="${trackers//shoal/}"
    else
        help="$("$root/shoal" tracker --help 2>&1)"
        if grep -q -- '--rate-limit' <<<"$help"; then
            shoal_args=(--rate-limit 0)
        else
            echo "note: 'shoal tracker' has no --rate-limit option; its per-IP limit may turn announces into errors" >&2
        fi
        # Every generated peer comes from 127.0.0.1: the per-address cap (2,000 by default) would refuse the fill.
        if grep -q -- '--max-peers-per-address' <<<"$help"; then
            most=$((peers > fill_peers ? peers : fill_peers))
            shoal_args+=(--max-peers-per-address "$most" --max-peers "$most")
        fi
    fi
    # shellcheck disable=SC2206 # SHOAL_TRACKER_ARGS is a word list on purpose
    shoal_args+=(${SHOAL_TRACKER_ARGS:-})
fi

pinning="unpinned"; [ "$pin" = 1 ] && pinning="tracker on CPU 0, generator on CPU 1"
echo "$(nproc) CPUs, $pinning; $hashes info-hashes, $peers peers, numwant $numwant, seed $seed"

if [[ " $phases " == *" load "* ]]; then
    echo "load: ${warmup} s warm-up + ${duration} s measured per row; concurrency http $http_concurrency, udp $udp_concurrency"
    echo
    echo "| tracker | transport | announces/s | p50 ms | p99 ms | max ms | errors | timeouts | connects | tracker CPU | generator CPU |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    for name in $trackers; do
        if ! start_tracker "$name" "$hashes"; then
            printf '| %s | did not start |\n' "$name"
            continue
        fi
        measure "$name" http "$http_concurrency"
        measure "$name" udp "$udp_concurrency"
        echo "$name: peak RSS $(mib "$(status_kb "$pid" VmHWM)") MiB" >>"$work/rss.txt"
        stop_tracker "$pid"
    done
    echo
    cat "$work/rss.txt" "$work/notes.txt" 2>/dev/null
fi

if [[ " $phases " == *" fill "* ]]; then
    echo
    echo "fill: $fill_peers peers over $fill_hashes info-hashes, each announcing once ($fill_transport, event=started, numwant 0)"
    echo
    echo "| tracker | announces | time | errors/timeouts | RSS before | RSS after | peak RSS |"
    echo "|---|---|---|---|---|---|---|"
    for name in $trackers; do fill "$name"; done
    echo
    cat "$work/fill.txt" 2>/dev/null
fi
