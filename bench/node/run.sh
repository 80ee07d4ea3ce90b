#!/usr/bin/env bash
# A node with 1,000 small torrents shared from the local disk: time to add them, the list's time and
# size, the event stream's bytes per second at rest and while 50 of them upload to a second node, the
# node's RSS, and the time to stop and restart it with all of them. Run by hand; not a test. Everything
# is on 127.0.0.1 (no DHT, no local discovery, no trackers).
#
# usage: [COUNT=1000] [ACTIVE=50] [ACTIVE_MIB=2] [UPLOAD_LIMIT=2000000] [WINDOW=30] [WORKDIR=/var/tmp] bench/node/run.sh
#   COUNT - ACTIVE files of 64 KiB to 1 MiB and ACTIVE files of ACTIVE_MIB MiB (the ones the second node
#   downloads, through the first node's upload limit, so they stay active for the whole WINDOW seconds).
#   KEEP=1 keeps the work folder (files, data folders, node logs).
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3
api="$py $here/node_api.py"
count="${COUNT:-1000}"
active="${ACTIVE:-50}"
active_mib="${ACTIVE_MIB:-2}"
upload_limit="${UPLOAD_LIMIT:-2000000}"
window="${WINDOW:-30}"

command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }
work="$(mktemp -d "${WORKDIR:-/var/tmp}/shoal-node-bench.XXXXXX")"
if [ "$(findmnt -n -o FSTYPE -T "$work")" = tmpfs ]; then
    echo "$work is on tmpfs: give WORKDIR on a real disk" >&2
    rm -rf "$work"
    exit 1
fi

pids=()   # every process this script starts in the background, ended by PID on exit
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    sleep 1
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=../lib.sh
source "$(dirname "$(readlink -f "$0")")/../lib.sh"
since() { $py -c "import sys; print(f'{$(now) - $1:.2f}')"; }
field() { $py -c "import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1], {}, d))" "$1"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' /proc/"$1"/status; }
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/"$1"/stat; }   # utime + stime
# Percent of one core PID used since TICKS at TIME.
cpu_since() { awk -v now="$(cpu_ticks "$1")" -v then="$2" -v hz="$(getconf CLK_TCK)" -v s="$(since "$3")" 'BEGIN { printf "%.1f", 100 * (now - then) / hz / s }'; }

# Starts a node on DATA with its API on API_PORT, logs in DATA.out/.err; sets node_pid.
start_node() {
    local data="$1" api_port="$2" downloads="$3"
    SHOAL_CONFIG_DIR="$work/config" SHOAL_Node__ShareRoots="$work/files" \
        "$shoal" node --data "$data" --api "127.0.0.1:$api_port" --listen 127.0.0.1 --port 0 --no-dht --no-lsd \
        --download-dir "$downloads" >>"$data.out" 2>>"$data.err" &
    node_pid=$!
    pids+=("$node_pid")
}

stats1() { curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port1/api/v1/stats"; }

fail() {
    echo "failed: $*" >&2
    for f in "$work"/node1.err "$work"/node2.err; do [ -s "$f" ] && { echo "-- $f:" >&2; tail -5 "$f" >&2; }; done
    exit 1
}

echo "building shoal (Release)" >&2
dotnet build "$root/src/Shoal.Cli" -c Release --verbosity quiet >"$work/build.log" 2>&1 || fail "build (KEEP=1: $work/build.log)"
shoal="$root/src/Shoal.Cli/bin/Release/net10.0/shoal"

echo "making $count files in $work/files" >&2
mkdir -p "$work/files" "$work/config" "$work/dl1" "$work/dl2"
$py - "$work/files" "$count" "$active" "$active_mib" <<'PY'
import os, random, sys
folder, count, active, active_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sizes = random.Random(1)
for i in range(count):
    name, size = (f"active-{i:04}.bin", active_mib << 20) if i < active else (f"file-{i:04}.bin", sizes.randint(64, 1024) << 10)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(os.urandom(size))
PY
find "$work/files" -type f | sort >"$work/shares.txt"
files_mib=$(du -sm "$work/files" | cut -f1)
sync

port1=$(free_port)
t0=$(now)
start_node "$work/node1" "$port1" "$work/dl1"
node1=$node_pid
wait_for_line "$work/node1.out" '^listening on ' "$node1" 60 || fail "node 1 did not start"
token=$(cat "$work/node1/api-token")
$api "$port1" "$token" wait-answer 60 >/dev/null || fail "no API"
start_empty_seconds=$(since "$t0")
peer=$(sed -nE 's/^listening on (.*) for peers$/\1/p' "$work/node1.out" | head -1)
peer="127.0.0.1:${peer##*:}"
rss_empty=$(status_kb "$node1" VmRSS)

echo "adding $count shares" >&2
add=$($api "$port1" "$token" add-shares "$work/shares.txt") || fail "adding shares"
seeding=$($api "$port1" "$token" wait-state seeding "$count" 600) || fail "waiting for $count seeding"

echo "timing the API at rest" >&2
sleep 5   # let the adds' work settle
list_all=$($api "$port1" "$token" time "/api/v1/torrents?perPage=1000" 20)
list_page=$($api "$port1" "$token" time "/api/v1/torrents" 20)
stats=$($api "$port1" "$token" time "/api/v1/stats" 20)

echo "event stream at rest, $window s" >&2
curl -N -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port1/api/v1/events" >"$work/sse-rest.txt" &
curl_pid=$!; pids+=("$curl_pid")
ticks=$(cpu_ticks "$node1"); t0=$(now)
sse_rest=$($api "$port1" "$token" sse-window "$work/sse-rest.txt" "$window") || fail "event stream at rest"
cpu_rest=$(cpu_since "$node1" "$ticks" "$t0")
kill "$curl_pid" 2>/dev/null
rss_rest=$(status_kb "$node1" VmRSS); hwm_rest=$(status_kb "$node1" VmHWM)

echo "$active downloads to a second node, first node's upload limited to $upload_limit B/s" >&2
$api "$port1" "$token" magnets active- "$peer" | field '"\n".join(magnets)' >"$work/magnets.txt"
[ "$(wc -l <"$work/magnets.txt")" -eq "$active" ] || fail "expected $active active- torrents"
curl -s -o /dev/null -X PATCH -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"uploadLimit\": $upload_limit}" "http://127.0.0.1:$port1/api/v1/settings" || fail "PATCH settings"
port2=$(free_port)
start_node "$work/node2" "$port2" "$work/dl2"
node2=$node_pid
wait_for_line "$work/node2.out" '^listening on ' "$node2" 60 || fail "node 2 did not start"
token2=$(cat "$work/node2/api-token")
$api "$port2" "$token2" add-magnets "$work/magnets.txt" >/dev/null || fail "adding magnets to node 2"
$api "$port2" "$token2" wait-state downloading "$active" 120 >/dev/null || fail "waiting for $active downloading"
curl -N -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port1/api/v1/events" >"$work/sse-active.txt" &
curl_pid=$!; pids+=("$curl_pid")
ticks=$(cpu_ticks "$node1"); t0=$(now); uploaded=$(stats1 | field uploaded)
sse_active=$($api "$port1" "$token" sse-window "$work/sse-active.txt" "$window") || fail "event stream with $active active"
cpu_active=$(cpu_since "$node1" "$ticks" "$t0")
up_rate=$(awk -v b="$(( $(stats1 | field uploaded) - uploaded ))" -v s="$(since "$t0")" 'BEGIN { printf "%.0f", b / s }')
kill "$curl_pid" 2>/dev/null
rss_active=$(status_kb "$node1" VmRSS); hwm_active=$(status_kb "$node1" VmHWM)
list_active=$($api "$port1" "$token" time "/api/v1/torrents?perPage=1000" 20)
still=$(curl -s -H "Authorization: Bearer $token2" "http://127.0.0.1:$port2/api/v1/stats" | field 'downloading')
kill -TERM "$node2"

echo "restarting the first node" >&2
t0=$(now)
kill -TERM "$node1"
wait "$node1"; stop_code=$?
stop_seconds=$(since "$t0")
t0=$(now)
start_node "$work/node1" "$port1" "$work/dl1"
node1=$node_pid
$api "$port1" "$token" wait-answer 600 >/dev/null || fail "no API after restart"
answer_seconds=$(since "$t0")
$api "$port1" "$token" wait-state seeding "$count" 600 >/dev/null || fail "not all back seeding"
back_seconds=$(since "$t0")
rss_restart=$(status_kb "$node1" VmRSS); hwm_restart=$(status_kb "$node1" VmHWM)

row() { printf '%-40s %s\n' "$1" "$2"; }
timing() { echo "$1" | field 'f"median {median_ms} ms (min {min_ms}, max {max_ms}), {bytes} bytes"'; }
echo
echo "== node with $count torrents ($(date -u +%F), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
row "files" "$count, $files_mib MiB in $work/files ($active of $active_mib MiB, the rest 64 KiB-1 MiB)"
row "start, no torrents: API answers after" "$start_empty_seconds s"
row "add $count shares, one at a time" "$(echo "$add" | field 'f"{seconds} s; per add median {median_ms} ms (first 100 {first_100_median_ms}, last 100 {last_100_median_ms}), max {max_ms} ms"')"
row "then all seeding after" "$(echo "$seeding" | field 'f"{seconds} s"')"
row "GET /torrents?perPage=1000" "$(timing "$list_all")"
row "GET /torrents (default page)" "$(timing "$list_page")"
row "GET /stats" "$(timing "$stats")"
row "SSE snapshot" "$(echo "$sse_rest" | field 'f"{snapshot_bytes} bytes"')"
row "SSE at rest" "$(echo "$sse_rest" | field 'f"{bytes_per_second} B/s over {seconds} s; {events}"')"
row "node CPU at rest" "$cpu_rest % of a core"
row "SSE with $active active" "$(echo "$sse_active" | field 'f"{bytes_per_second} B/s over {seconds} s; {events}"')"
row "  upload meanwhile" "$up_rate B/s; node 2 still downloading at the end: $still of $active"
row "node CPU with $active active" "$cpu_active % of a core"
row "GET /torrents?perPage=1000, $active active" "$(timing "$list_active")"
row "RSS, no torrents" "$(mib "$rss_empty") MiB"
row "RSS / HWM at rest, $count torrents" "$(mib "$rss_rest") / $(mib "$hwm_rest") MiB"
row "RSS / HWM with $active active" "$(mib "$rss_active") / $(mib "$hwm_active") MiB"
row "stop: SIGTERM to exit" "$stop_seconds s (exit code $stop_code)"
row "restart: API answers after" "$answer_seconds s"
row "restart: all $count seeding after" "$back_seconds s"
row "RSS / HWM after restart" "$(mib "$rss_restart") / $(mib "$hwm_restart") MiB"
