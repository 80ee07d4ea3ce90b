#!/usr/bin/env bash
# opentracker and `shoal tracker` in one run, from bench/Shoal.TrackerLoad. For each number of
# info-hashes in HASHES: a fresh tracker, a fill (every one of HASHES × PEERS_PER_HASH peers
# announces once, event=started, numwant 0: its time, the tracker's CPU and RSS before, after and at
# peak), then load over that filled table, HTTP (keep-alive) and UDP (BEP 15): rate, p50/p90/p99/max
# latency, errors, the tracker's CPU seconds over the measured window ÷ the announces answered (µs per
# announce, from /proc/PID/stat). The same peers per swarm at every HASHES, so the rows compare what an
# announce costs with 1,000 and with 100,000 swarms held. Run by hand (QUICK=1 by bench/run.sh); not a
# test. A tracker that cannot start is reported and the run goes on.
#
# usage: [QUICK=1] [DURATION=15] [WARMUP=3] [HTTP_CONCURRENCY=8] [UDP_CONCURRENCY=8]
#        [HASHES="1000 100000"] [PEERS_PER_HASH=10] [NUMWANT=50] [SEED=1] [FILL_TRANSPORT=udp]
#        [TRACKERS="opentracker shoal"] [BASELINE=/path/to/another/shoal] [PIN=1] [KEEP=1]
#        [RESULTS=/path/file.json] [SHOAL_TRACKER_ARGS=...] [SHOAL=/path/to/shoal] bench/tracker.sh
#   PIN=1 runs the tracker on CPU 0 and the generator on CPU 1 (taskset), so neither takes the
#   other's core; PIN=0 lets the scheduler place both. BASELINE adds a tracker "baseline": `shoal`
#   from another build (say main's), for before/after figures in the same run.
#   QUICK=1: 1 s warm-up + 1 s measured, HASHES="100 10000" (about 30 s with two trackers on a quiet machine).
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
quick="${QUICK:-0}"
if [ "$quick" = 1 ]; then
    duration="${DURATION:-1}"; warmup="${WARMUP:-1}"; hash_counts="${HASHES:-100 10000}"
else
    duration="${DURATION:-15}"; warmup="${WARMUP:-3}"; hash_counts="${HASHES:-1000 100000}"
fi
http_concurrency="${HTTP_CONCURRENCY:-8}"
udp_concurrency="${UDP_CONCURRENCY:-8}"
peers_per_hash="${PEERS_PER_HASH:-10}"
numwant="${NUMWANT:-50}"
seed="${SEED:-1}"
fill_transport="${FILL_TRANSPORT:-udp}"
trackers="${TRACKERS:-opentracker shoal}"
[ -n "${BASELINE:-}" ] && trackers="$trackers baseline"
pin="${PIN:-1}"
results="${RESULTS:-}"
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
number() { [[ "$1" =~ ^-?[0-9.]+$ ]] && echo "$1" || echo null; }   # for JSON: "-" or nothing is null
load_average() { cut -d' ' -f1 /proc/loadavg; }
# CPU seconds (utime + stime, USER_HZ 100) of PID so far.
cpu_seconds() { awk '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / 100 }' "/proc/$1/stat"; }
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
    local name="$1" count="$2" dir="$work/$1-$2" binary="${SHOAL:-$root/shoal}"
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
        shoal | baseline)
            [ "$name" = baseline ] && binary="$BASELINE"
            "${tracker_cpu[@]}" "$binary" tracker --port "$port" --data "$dir" "${shoal_args[@]}" \
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

# Runs the generator against the tracker (pid, port) over HASHES swarms and prints one table row.
measure() {
    local name="$1" transport="$2" concurrency="$3" hashes="$4" out line load
    load="$(load_average)"
    out="$(generate "$transport" --target "127.0.0.1:$port" --duration "$duration" --warmup "$warmup" \
        --concurrency "$concurrency" --hashes "$hashes" --peers $((hashes * peers_per_hash)) --numwant "$numwant" \
        --seed "$seed" --watch-pid "$pid" 2>&1)"
    echo "$out" >"$work/$name-$hashes-$transport.out"
    grep -o 'first error: .*' <<<"$out" | sed "s/^/$name $transport $hashes: /" >>"$work/notes.txt"
    line="$(grep '^RESULT ' <<<"$out")"
    if [ -z "$line" ]; then
        printf '| %s | %s | %s | failed: %s |\n' "$name" "$transport" "$hashes" "$(tail -n 1 <<<"$out")"
        return
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s %% | %s | %s |\n' "$name" "$transport" "$hashes" \
        "$(field "$line" rate)" "$(field "$line" p50_ms)" "$(field "$line" p90_ms)" "$(field "$line" p99_ms)" \
        "$(field "$line" max_ms)" "$(field "$line" errors)/$(field "$line" timeouts)" "$(field "$line" connects)" \
        "$(field "$line" tracker_cpu)" "$(field "$line" cpu_us_per_announce)" "$load"
    printf '{"tracker":"%s","transport":"%s","hashes":%s,"peers":%s,"rate":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"max_ms":%s,"errors":%s,"timeouts":%s,"cpu_seconds":%s,"announces":%s,"cpu_us_per_announce":%s,"load_average":%s}\n' \
        "$name" "$transport" "$hashes" $((hashes * peers_per_hash)) "$(number "$(field "$line" rate)")" \
        "$(number "$(field "$line" p50_ms)")" "$(number "$(field "$line" p90_ms)")" "$(number "$(field "$line" p99_ms)")" \
        "$(number "$(field "$line" max_ms)")" "$(number "$(field "$line" errors)")" "$(number "$(field "$line" timeouts)")" \
        "$(number "$(field "$line" tracker_cpu_s)")" "$(number "$(field "$line" announces)")" \
        "$(number "$(field "$line" cpu_us_per_announce)")" "$load" >>"$work/load.jsonl"
}

# Every peer of HASHES swarms announces once to the running tracker (pid, port); one fill row.
fill() {
    local name="$1" hashes="$2" peers=$(($2 * peers_per_hash)) s0 s1 c0 c1 out line before after peak load seconds
    load="$(load_average)"
    before="$(status_kb "$pid" VmRSS)"
    c0="$(cpu_seconds "$pid")"
    s0="$(now)"
    out="$(generate "$fill_transport" --fill --target "127.0.0.1:$port" --concurrency "$udp_concurrency" \
        --hashes "$hashes" --peers "$peers" --numwant 0 --seed "$seed" --timeout 5 2>&1)"
    s1="$(now)"
    c1="$(cpu_seconds "$pid")"
    echo "$out" >"$work/$name-$hashes-fill.out"
    grep -o 'first error: .*' <<<"$out" | sed "s/^/$name fill $hashes: /" >>"$work/fill.txt"
    line="$(grep '^RESULT ' <<<"$out")"
    sleep 2   # let the tracker settle (a .NET tracker may still be collecting)
    after="$(status_kb "$pid" VmRSS)"
    peak="$(status_kb "$pid" VmHWM)"
    seconds="$(awk -v s="$s0" -v e="$s1" 'BEGIN { printf "%.2f", e - s }')"
    local announces cpu per
    announces="$(field "$line" announces)"
    cpu="$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')"
    per="$(awk -v c="$cpu" -v n="${announces:-0}" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n; else print "-" }')"
    printf '| %s | %s | %s | %s s | %s | %s MiB | %s MiB | %s MiB | %s MiB | %s s | %s | %s |\n' "$name" "$hashes" "$announces" \
        "$seconds" "$(field "$line" errors)/$(field "$line" timeouts)" "$(mib "$before")" "$(mib "$after")" \
        "$(mib $((after - before)))" "$(mib "$peak")" "$cpu" "$per" "$load" >>"$work/fill.md"
    printf '{"tracker":"%s","hashes":%s,"peers":%s,"announces":%s,"seconds":%s,"errors":%s,"timeouts":%s,"rss_before_bytes":%s,"rss_after_bytes":%s,"rss_peak_bytes":%s,"cpu_seconds":%s,"cpu_us_per_announce":%s,"load_average":%s}\n' \
        "$name" "$hashes" "$peers" "$(number "$announces")" "$seconds" "$(number "$(field "$line" errors)")" \
        "$(number "$(field "$line" timeouts)")" $((before * 1024)) $((after * 1024)) $((peak * 1024)) "$cpu" "$(number "$per")" \
        "$load" >>"$work/fill.jsonl"
    if [ "$name" = opentracker ] && command -v curl >/dev/null; then
        # -A 127.0.0.1 lets us read its statistics: the first line is the number of peers held.
        echo "opentracker ($hashes hashes) holds $(curl -s "http://127.0.0.1:$port/stats?mode=peer" | head -n 1) peers" >>"$work/fill.txt"
    fi
}

echo "building the load generator..." >&2
dotnet build "$root/bench/Shoal.TrackerLoad" -c Release --nologo -v q >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; exit 1; }

most=0
for hashes in $hash_counts; do most=$((hashes * peers_per_hash > most ? hashes * peers_per_hash : most)); done
shoal_args=()
if [[ " $trackers " == *" shoal "* ]]; then
    echo "building shoal..." >&2
    # An unknown command prints the root help and succeeds, so look for it in the command list.
    if ! "${SHOAL:-$root/shoal}" --help 2>/dev/null | grep -qE '^ +tracker( |$)'; then
        echo "note: this tree has no 'shoal tracker' command; measuring opentracker only" >&2
        trackers="${trackers//shoal/}"
    else
        # No per-address rate limit, and every generated peer comes from 127.0.0.1: the per-address
        # cap (2,000 by default) would refuse the fill.
        shoal_args=(--rate-limit 0 --max-peers-per-address "$most" --max-peers "$most")
    fi
    # shellcheck disable=SC2206 # SHOAL_TRACKER_ARGS is a word list on purpose
    shoal_args+=(${SHOAL_TRACKER_ARGS:-})
fi

pinning="unpinned"; [ "$pin" = 1 ] && pinning="tracker on CPU 0, generator on CPU 1"
echo "$(nproc) CPUs, $pinning; info-hashes: $hash_counts, $peers_per_hash peers each, numwant $numwant, seed $seed"
echo "per tracker and number of info-hashes: a fill ($fill_transport, event=started, numwant 0), then"
echo "load: ${warmup} s warm-up + ${duration} s measured per row; concurrency http $http_concurrency, udp $udp_concurrency"
echo
echo "| tracker | transport | hashes | announces/s | p50 ms | p90 ms | p99 ms | max ms | errors/timeouts | connects | tracker CPU | µs CPU per announce | load average |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for name in $trackers; do
    for hashes in $hash_counts; do
        if ! start_tracker "$name" "$hashes"; then
            printf '| %s | did not start |\n' "$name"
            continue
        fi
        fill "$name" "$hashes"
        measure "$name" http "$http_concurrency" "$hashes"
        measure "$name" udp "$udp_concurrency" "$hashes"
        echo "$name ($hashes hashes): peak RSS $(mib "$(status_kb "$pid" VmHWM)") MiB" >>"$work/rss.txt"
        stop_tracker "$pid"
    done
done
echo
echo "fill: each peer announces once; RSS growth is after − before"
echo
echo "| tracker | hashes | announces | time | errors/timeouts | RSS before | RSS after | growth | peak RSS | tracker CPU | µs CPU per announce | load average |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
cat "$work/fill.md" 2>/dev/null
echo
cat "$work/rss.txt" "$work/notes.txt" "$work/fill.txt" 2>/dev/null

if [ -n "$results" ]; then
    {
        printf '{"quick":%s,"duration_s":%s,"peers_per_hash":%s,"numwant":%s,"load":[' "$([ "$quick" = 1 ] && echo true || echo false)" "$duration" "$peers_per_hash" "$numwant"
        paste -sd, "$work/load.jsonl" 2>/dev/null | tr -d '\n'
        printf '],"fill":['
        paste -sd, "$work/fill.jsonl" 2>/dev/null | tr -d '\n'
        printf ']}\n'
    } >"$results"
fi
