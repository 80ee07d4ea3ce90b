#!/usr/bin/env bash
# Transfers one random file seeder -> leecher over 127.0.0.1 for each pair of clients, RUNS times with
# the pairs interleaved (so a slow minute of the machine falls on every pair alike), files on the real
# disk, and prints a table: time from the leecher's start to its verified, durable completion (seeder
# start-up and check excluded), throughput, SHA-256 of the result against the source, the leecher's
# peak RSS, and both sides' RSS over time (sampled every 50 ms). Run by hand or by bench/run.sh; not a
# test. A pair that fails is reported and the run goes on.
#
# usage: [SIZE_MB=1024] [RUNS=3] [VERSION=v1|v2|hybrid] [PIECE_SIZE=0] [TRANSPORT=tcp|utp] [ENCRYPTION=none|rc4]
#        [PAIRS="lt:lt lt:shoal shoal:lt shoal:shoal"] [TMPDIR=/var/tmp] [RESULTS=FILE.json] [QUICK=1] bench/transfer.sh
#   Durable: libtorrent's leecher fsyncs its files before it exits (lt_get.py --fsync), Shoal's `get` does so
#   before its resume record; after any leecher exits the script fsyncs the file itself (`sync FILE`, timed
#   in: near nothing when the leecher already did, the whole write-back when it did not; sync_after_exit_s).
#   The work folder is under TMPDIR (default /var/tmp, the disk); a tmpfs is refused unless ALLOW_TMPFS=1 or QUICK=1.
#   PIECE_SIZE 0 lets libtorrent choose (512 KiB for 1 GiB). Pairs may also name aria2 as the leecher
#   (shoal:aria2, lt:aria2; aria2 1.36 reads only v1 torrents and does not fsync).
#   TRANSPORT=utp makes libtorrent and Shoal speak uTP (BEP 29) only (aria2 has no uTP); ENCRYPTION=rc4 makes both
#   require MSE with RC4 (aria2 cannot), ENCRYPTION=none both plaintext only. CPU is user+system seconds of each side
#   between the leecher's start and its end.
#   QUICK=1: 64 MiB, one run (a smoke test of the script). RESULTS=FILE writes the figures there as JSON
#   (bench/run.sh's contract, see bench/README.md). SHOAL=PATH uses that published shoal instead of ./shoal's.
#   KEEP=1 keeps the work folder (logs) for a look afterwards.
set -uo pipefail
here="$(dirname "$(readlink -f "$0")")"
root="$(cd "$here/.." && pwd)"
scripts="$root/tests/Shoal.Interop.Tests/scripts"
py=/usr/bin/python3
quick="${QUICK:-0}"
if [ "$quick" = 1 ]; then size_mb="${SIZE_MB:-64}"; runs="${RUNS:-1}"; else size_mb="${SIZE_MB:-1024}"; runs="${RUNS:-3}"; fi
version="${VERSION:-v1}"
piece_size="${PIECE_SIZE:-0}"
transport="${TRANSPORT:-tcp}"
encryption="${ENCRYPTION:-none}"
case "$transport" in
    tcp) lt_flags=(--transport tcp); shoal_flags=(--no-utp) ;;
    utp) lt_flags=(--transport utp); shoal_flags=(--no-tcp) ;;
    *) echo "TRANSPORT is tcp or utp" >&2; exit 2 ;;
esac
case "$encryption" in
    none) lt_flags+=(--encryption disabled); shoal_flags+=(--encryption disable) ;;
    rc4) lt_flags+=(--encryption forced); shoal_flags+=(--encryption require) ;;
    *) echo "ENCRYPTION is none or rc4" >&2; exit 2 ;;
esac
pairs="${PAIRS:-lt:lt lt:shoal shoal:lt shoal:shoal}"
leech_timeout=$((60 + size_mb / 5))   # at least 5 MB/s, or the pair failed
start_timeout=$((60 + size_mb / 50))  # seeder start-up, including its check of the data

command -v bc >/dev/null || { echo "needs bc: apt-get install bc" >&2; exit 1; }
$py -c 'import libtorrent' 2>/dev/null || { echo "needs python3-libtorrent for /usr/bin/python3" >&2; exit 1; }
if [[ " $pairs " == *aria2* ]] && ! command -v aria2c >/dev/null; then echo "needs aria2: apt-get install aria2" >&2; exit 1; fi
if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time for peak RSS" >&2
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null || { echo "cannot install time" >&2; exit 1; }
fi

tmp="${TMPDIR:-/var/tmp}"
if [ "$(stat -f -c %T "$tmp")" = tmpfs ]; then
    if [ "${ALLOW_TMPFS:-0}" != 1 ] && [ "$quick" != 1 ]; then
        echo "$tmp is a tmpfs: the issue's transfer writes to the disk; use TMPDIR on a disk, or ALLOW_TMPFS=1" >&2
        exit 2
    fi
    echo "note: $tmp is a tmpfs: these figures are not the disk's" >&2
fi
work="$(mktemp -d "$tmp/shoal-transfer.XXXXXX")"
pids=()   # every process this script starts in the background, ended by PID on exit
children() { cat /proc/"$1"/task/*/children 2>/dev/null; }
cleanup() {
    local pid
    # The leecher runs under time and timeout: signal timeout, which passes it on.
    for pid in "${pids[@]}"; do kill -TERM $(children "$pid") "$pid" 2>/dev/null; done
    sleep 0.5
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$here/lib.sh"

# Waits until something accepts TCP connections on 127.0.0.1:PORT; at most SECONDS.
wait_for_port() {
    local port="$1" seconds="$2" end
    end=$(($(date +%s) + seconds))
    while [ "$(date +%s)" -le "$end" ]; do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# User plus system CPU seconds PID has used so far (all its threads); 0 once it is gone.
cpu_seconds() {
    local fields
    fields=$(awk '{ print $14 + $15 }' /proc/"$1"/stat 2>/dev/null) || { echo 0; return; }
    echo "scale=2; ${fields:-0} / $(getconf CLK_TCK)" | bc
}

stop() {  # SIGTERM (to timeout too, when PID is time), up to 10 s to go, then SIGKILL
    local pid="$1" i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM $(children "$pid") "$pid" 2>/dev/null
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# Starts the leecher in the background under GNU time (exact peak RSS, -o FILE) and timeout, and the
# RSS sampler on it and on the seeder (libtorrent maps the files it writes, so its RSS counts file pages;
# RssAnon is its heap). Sets leech_pid (the time process) and sampler_pid.
start_leecher() {
    local dir="$1"; shift
    /usr/bin/time -f '%M %U %S' -o "$dir/rss_kb" timeout -k 5 "$leech_timeout" "$@" >"$dir/leech.out" 2>"$dir/leech.err" &
    leech_pid=$!
    pids+=("$leech_pid")
    $py "$here/rss_sampler.py" "$dir/rss.json" --interval 0.05 "leecher=$leech_pid" ${seed_pid:+"seeder=$seed_pid"} &
    sampler_pid=$!
    pids+=("$sampler_pid")
}

# Starts a seeder: lt or shoal. Sets seed_pid and seed_port; returns 1 if it does not come up.
start_seeder() {
    local kind="$1" dir="$2" peer dial=(); shift 2   # the rest: HOST:PORT peers for the seeder to dial
    for peer in "$@"; do dial+=("$([ "$kind" = lt ] && echo --connect || echo --peer)" "$peer"); done
    seed_port=$(free_port)
    cp "$work/data.torrent" "$dir/seed.torrent"
    case "$kind" in
        lt) $py "$scripts/lt_seed.py" "$dir/seed.torrent" "$work/src" --port "$seed_port" "${dial[@]}" "${lt_flags[@]}" \
                >"$dir/seed.out" 2>"$dir/seed.err" &
            seed_pid=$!; pids+=("$seed_pid")
            wait_for_line "$dir/seed.out" '"event": "seeding"' "$seed_pid" "$start_timeout" ;;
        shoal) SHOAL_DATA_DIR="$dir/seed-state" "$shoal" share "$work/src/$name" --torrent "$dir/seed.torrent" \
                --port "$seed_port" "${dial[@]}" "${shoal_flags[@]}" >"$dir/seed.out" 2>"$dir/seed.err" &
            seed_pid=$!; pids+=("$seed_pid")
            wait_for_line "$dir/seed.out" '^listening on ' "$seed_pid" "$start_timeout" ;;
    esac
}

# One transfer; its figures go to DIR/meta (key=value lines) and DIR/rss.json, its row to rows.
rows=()
run_pair() {
    local seeder="$1" leecher="$2" run="$3" pair="$1:$2" dir="$work/run$3-$1-$2" t0 t1 t2 code=0 why="" aria_port=""
    mkdir -p "$dir/dl"
    echo "== $seeder -> $leecher (run $run of $runs)" >&2
    seed_pid=""; leech_pid=""; sampler_pid=""
    if [ "$leecher" = aria2 ]; then
        # aria2 cannot dial: it listens, the seeder dials it; timed from the seeder being ready.
        aria_port=$(free_port)
        cp "$work/data.torrent" "$dir/seed.torrent"
        start_leecher "$dir" aria2c --no-conf=true -d "$dir/dl" --listen-port="$aria_port" --enable-dht=false \
            --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --seed-time=0 \
            --summary-interval=0 --console-log-level=warn --file-allocation=none "$dir/seed.torrent"
        wait_for_port "$aria_port" 30 || why="aria2 did not listen"
        [ -z "$why" ] && { start_seeder "$seeder" "$dir" "127.0.0.1:$aria_port" || why="seeder did not start"; }
        t0=$(now)
    else
        start_seeder "$seeder" "$dir" || why="seeder did not start"
        t0=$(now)
        if [ -z "$why" ]; then
            case "$leecher" in
                lt) start_leecher "$dir" $py "$scripts/lt_get.py" "$dir/seed.torrent" "$dir/dl" --fsync \
                        --port "$(free_port)" --connect "127.0.0.1:$seed_port" --timeout "$leech_timeout" "${lt_flags[@]}" ;;
                shoal) SHOAL_DATA_DIR="$dir/leech-state" start_leecher "$dir" "$shoal" get "$dir/seed.torrent" -o "$dir/dl" \
                        --port "$(free_port)" --peer "127.0.0.1:$seed_port" "${shoal_flags[@]}" ;;
            esac
        fi
    fi
    local seed_cpu="" sync_s=""
    if [ -z "$why" ]; then
        seed_cpu0=$(cpu_seconds "$seed_pid")
        wait "$leech_pid"; code=$?
        t1=$(now)
        [ -f "$dir/dl/$name" ] && sync "$dir/dl/$name"
        t2=$(now)
        sync_s=$(echo "$t2 - $t1" | bc)
        seed_cpu=$(echo "$(cpu_seconds "$seed_pid") - $seed_cpu0" | bc)
        [ "$code" -eq 0 ] || why="leecher exit $code"
        [ "$code" -eq 124 ] && why="leecher timed out (${leech_timeout} s)"
    else
        [ -n "$leech_pid" ] && stop "$leech_pid"
    fi
    [ -n "$sampler_pid" ] && { kill -TERM "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null; }
    [ -n "$seed_pid" ] && stop "$seed_pid"

    local sha_ok=false secs="" rate="" rss_kb="" user_s="" system_s="" leech_cpu=""
    if [ -z "$why" ]; then
        secs=$(echo "$t2 - $t0" | bc)
        rate=$(echo "$size_bytes / $secs" | bc -l)
        if [ -f "$dir/dl/$name" ] && [ "$(sha256sum <"$dir/dl/$name" | cut -d' ' -f1)" = "$source_sha" ]; then
            sha_ok=true
        else
            why="SHA-256 differs"
        fi
    fi
    if [ -s "$dir/rss_kb" ]; then
        read -r rss_kb user_s system_s < <(tail -1 "$dir/rss_kb")
        [[ "$rss_kb" =~ ^[0-9]+$ ]] && leech_cpu=$(echo "$user_s + $system_s" | bc) || rss_kb=""
    fi
    local status=ok
    if [ -n "$why" ]; then
        status=failed
        echo "   $pair failed: $why" >&2
        for f in seed.out seed.err leech.out leech.err; do
            [ -s "$dir/$f" ] && { echo "   -- $f:" >&2; tail -3 "$dir/$f" | sed 's/^/      /' >&2; }
        done
    fi
    printf '%s\n' "pair=$pair" "run=$run" "status=$status" "error=$why" "seconds=$secs" "bytes_per_s=$rate" \
        "sha256_ok=$sha_ok" "sync_after_exit_s=$sync_s" "peak_rss_kb=$rss_kb" "leecher_cpu_s=$leech_cpu" \
        "seeder_cpu_s=$seed_cpu" >"$dir/meta"
    local anon="-" seed_peak="-"
    [ -s "$dir/rss.json" ] && read -r anon seed_peak < <($py -c 'import json,sys; r=json.load(open(sys.argv[1]))
print(r["leecher"]["peak_rss_anon_bytes"] // 1048576, r.get("seeder", {}).get("hwm_bytes", 0) // 1048576)' "$dir/rss.json")
    fmt() { [ -n "$2" ] && printf "$1" "$2" || echo -; }
    rows+=("$(printf '%-18s %3s %-7s %8s %8s %9s %10s %9s %9s %9s %6s  %s' "$seeder -> $leecher" "$run" "$status" \
        "$(fmt %.2f "$secs")" "$(fmt %.0f "${rate:+$(echo "$rate / 1000000" | bc -l)}")" "${rss_kb:+$((rss_kb / 1024))}" "$anon" "$seed_peak" \
        "$(fmt %.1f "$leech_cpu")" "$(fmt %.1f "$seed_cpu")" "$([ "$sha_ok" = true ] && echo ok || echo -)" "$why")")
    rm -rf "$dir/dl" "$dir/leech-state" "$dir/seed-state"   # a GiB per pair adds up
    sync                                                     # and its write-back would slow the next pair
}

if [ -n "${SHOAL:-}" ]; then
    shoal="$SHOAL"
else
    echo "publishing shoal (Release, through ./shoal)" >&2
    "$root/shoal" --version >/dev/null || echo "publish failed; shoal pairs will fail" >&2
    shoal="$root/.build/shoal/shoal"
fi

echo "making ${size_mb} MiB of random data and a $version torrent in $work" >&2
name=data.bin
mkdir -p "$work/src"
head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/src/$name"
size_bytes=$(stat -c %s "$work/src/$name")
source_sha=$(sha256sum <"$work/src/$name" | cut -d' ' -f1)
$py "$scripts/lt_create.py" "$work/src/$name" "$piece_size" "$version" "$work/data.torrent" >/dev/null
piece_bytes=$($py "$scripts/lt_hashes.py" "$work/data.torrent" | $py -c 'import json,sys; print(json.load(sys.stdin)["pieceLength"])')

sync   # write the source out now, not during the first pair
for run in $(seq "$runs"); do
    for p in $pairs; do run_pair "${p%%:*}" "${p##*:}" "$run"; done
done

echo
echo "${size_mb} MiB ($size_bytes bytes), $version, $((piece_bytes / 1024)) KiB pieces, $transport, encryption $encryption, $(nproc) cores, loopback, files in $tmp ($(stat -f -c %T "$tmp")); $(date -u +%Y-%m-%d); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "time: leecher start to verified, durable completion (for aria2: seeder ready to aria2 exit); RSS in MiB: leecher's peak, its peak anon (sampled), the seeder's peak (VmHWM)"
printf '%-18s %3s %-7s %8s %8s %9s %10s %9s %9s %9s %6s\n' "seeder -> leecher" run status seconds "MB/s" "peak RSS" "peak anon" "seed RSS" "leech CPU" "seed CPU" sha256
printf '%s\n' "${rows[@]}"

if [ -n "${RESULTS:-}" ]; then
    $py "$here/transfer_results.py" "$work" "$size_bytes" "$piece_bytes" "$version" "$transport" "$tmp" >"$RESULTS" ||
        { echo "cannot write $RESULTS" >&2; exit 1; }
fi
