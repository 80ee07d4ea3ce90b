#!/usr/bin/env bash
# Start-up: wall time of `shoal get` of a small torrent from a seeder on this machine, from the command's
# start to its exit with the file verified (process start, runtime, session, connection, transfer, exit),
# against libtorrent's lt_get.py doing the same (Python and libtorrent's session start included) in the
# same run. The seeder is a `shoal share` started once; every get is into a new folder with new state.
# Run by hand or by bench/run.sh; not a test.
#
# usage: [SIZE_KIB=256] [RUNS=10] [RESULTS=FILE.json] [QUICK=1] [SHOAL=PATH] bench/startup.sh
#   QUICK=1: 3 runs. RESULTS=FILE writes {"runs":[{"what":"get 256 KiB","shoal_s":x,"reference_s":x,
#   "ratio":x,"shoal_runs_s":[...],"reference_runs_s":[...]}]} (medians; ratio = reference_s / shoal_s).
set -uo pipefail
here="$(dirname "$(readlink -f "$0")")"
root="$(cd "$here/.." && pwd)"
scripts="$root/tests/Shoal.Interop.Tests/scripts"
py=/usr/bin/python3
size_kib="${SIZE_KIB:-256}"
if [ "${QUICK:-0}" = 1 ]; then runs="${RUNS:-3}"; else runs="${RUNS:-10}"; fi
command -v bc >/dev/null || { echo "needs bc: apt-get install bc" >&2; exit 1; }
$py -c 'import libtorrent' 2>/dev/null || { echo "needs python3-libtorrent for /usr/bin/python3" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/var/tmp}/shoal-startup.XXXXXX")"
seed_pid=""
cleanup() {
    [ -n "$seed_pid" ] && { kill -TERM "$seed_pid" 2>/dev/null; wait "$seed_pid" 2>/dev/null; }
    if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# shellcheck source=lib.sh
source "$here/lib.sh"

shoal="${SHOAL:-}"
if [ -z "$shoal" ]; then
    "$root/shoal" --version >/dev/null || { echo "cannot build shoal" >&2; exit 1; }
    shoal="$root/.build/shoal/shoal"
fi

mkdir -p "$work/src"
head -c "$((size_kib * 1024))" /dev/urandom >"$work/src/small.bin"
$py "$scripts/lt_create.py" "$work/src/small.bin" 0 v1 "$work/small.torrent" >/dev/null
seed_port=$(free_port)
SHOAL_DATA_DIR="$work/seed-state" "$shoal" share "$work/src/small.bin" --torrent "$work/small.torrent" --port "$seed_port" \
    >"$work/seed.out" 2>"$work/seed.err" &
seed_pid=$!
wait_for_line "$work/seed.out" '^listening on ' "$seed_pid" 60 || { echo "the seeder did not start:" >&2; tail -5 "$work/seed.err" >&2; exit 1; }

# Wall seconds of one command, which must succeed (within 60 s) and leave the file as the source; a failure
# is counted and told, and the run goes on.
failures=()
timed() {
    local into="$1" t0 t1 code; shift
    t0=$(now)
    timeout -k 5 60 "$@" >"$into.out" 2>"$into.err"; code=$?
    if [ "$code" -ne 0 ]; then
        failures+=("$(basename "$into"): exit $code: $(cat "$into.err" "$into.out" 2>/dev/null | tail -n 2 | tr -s "\n" " ")")
        return 1
    fi
    t1=$(now)
    cmp -s "$work/src/small.bin" "$into/small.bin" || { failures+=("$(basename "$into"): wrong content"); return 1; }
    printf '%.4f\n' "$(echo "$t1 - $t0" | bc)" >"$into.seconds"
}
list() { [ $# -gt 0 ] && printf '%s\n' "$@" | paste -sd, -; }

shoal_times=(); lt_times=()
for i in $(seq "$runs"); do   # interleaved, so both meet the same moments of the machine
    d="$work/shoal-$i"; mkdir -p "$d"
    SHOAL_DATA_DIR="$d.state" timed "$d" "$shoal" get "$work/small.torrent" -o "$d" --port 0 --peer "127.0.0.1:$seed_port" &&
        shoal_times+=("$(cat "$d.seconds")")
    d="$work/lt-$i"; mkdir -p "$d"
    timed "$d" $py "$scripts/lt_get.py" "$work/small.torrent" "$d" --port "$(free_port)" --connect "127.0.0.1:$seed_port" --fsync --timeout 60 &&
        lt_times+=("$(cat "$d.seconds")")
done
s=$(list "${shoal_times[@]}" | tr , '\n' | median)
l=$(list "${lt_times[@]}" | tr , '\n' | median)
printf 'get %s KiB from a local Shoal seeder, wall time, median of %s (%s cores, load average %s):\n' "$size_kib" "$runs" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  shoal get   %s s  (runs: %s)\n' "$s" "${shoal_times[*]}"
printf '  lt_get.py   %s s  (runs: %s)\n' "$l" "${lt_times[*]}"
[ ${#failures[@]} -eq 0 ] || printf '  failed: %s\n' "${failures[@]}"
if [ -n "${RESULTS:-}" ]; then
    ratio=null; [ "$s" != null ] && [ "$l" != null ] && ratio=$(printf '%.4f' "$(echo "$l / $s" | bc -l)")
    $py -c 'import json, sys
size, s, l, ratio, version, mine, ref = sys.argv[1:8]
failures = sys.argv[8:]
num = lambda x: None if x == "null" else float(x)
nums = lambda x: [float(v) for v in x.split(",") if v]
print(json.dumps({"runs": [{"what": f"get {int(size) // 1024} KiB", "size_bytes": int(size), "shoal_s": num(s),
    "reference_s": num(l), "ratio": num(ratio), "reference": f"libtorrent {version} (lt_get.py)",
    "status": "failed" if failures else "ok", "error": "; ".join(failures) or None,
    "shoal_runs_s": nums(mine), "reference_runs_s": nums(ref)}]}))' \
        "$((size_kib * 1024))" "$s" "$l" "$ratio" "$($py -c 'import libtorrent; print(libtorrent.__version__)')" \
        "$(list "${shoal_times[@]}")" "$(list "${lt_times[@]}")" "${failures[@]}" >"$RESULTS"
fi
