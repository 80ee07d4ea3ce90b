#!/usr/bin/env bash
# Times `shoal create` against libtorrent's create_torrent (python3-libtorrent) on the same
# 1 GiB file, in the same run, warm page cache, same piece size. Run by hand or by bench/run.sh; not a test.
# usage: [RESULTS=FILE.json] [QUICK=1] [SHOAL=PATH] bench/create-vs-libtorrent.sh [SIZE_MIB] [RUNS]
#   QUICK=1: 64 MiB, one run. RESULTS=FILE writes the figures there as JSON (bench/run.sh's contract,
#   bench/README.md): {"size_bytes":N,"runs":[{"what":"create v1","shoal_s":x,"reference_s":x,"ratio":x,"same_info_hashes":true},...]}.
#   SHOAL=PATH uses that published shoal instead of ./shoal's.
set -euo pipefail
command -v bc >/dev/null || { echo "needs bc: apt-get install bc" >&2; exit 1; }
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
# shellcheck source=lib.sh
source "$root/bench/lib.sh"
if [ "${QUICK:-0}" = 1 ]; then size_mib="${1:-64}"; runs="${2:-1}"; else size_mib="${1:-1024}"; runs="${2:-3}"; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

shoal="${SHOAL:-}"
if [ -z "$shoal" ]; then
    "$root/shoal" --version >/dev/null   # publishes shoal once per source change (NativeAOT, else ReadyToRun)
    shoal="$root/.build/shoal/shoal"
fi
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/data.bin"
cat "$work/data.bin" > /dev/null   # warm the page cache so both read from memory

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
json_list() { printf '%.4f\n' "$@" | paste -sd, -; }   # bc writes .5, which JSON refuses

echo "content: ${size_mib} MiB, $(nproc) cores, median of ${runs} runs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
entries=()
for version in v1 hybrid; do
    shoal_times=(); lt_times=()
    for _ in $(seq "$runs"); do
        shoal_times+=("$(seconds "$shoal" create "$work/data.bin" -o "$work/s.torrent" "--$version")")
        lt_times+=("$(seconds /usr/bin/python3 "$root/tests/Shoal.Interop.Tests/scripts/lt_create.py" "$work/data.bin" 0 "$version" "$work/l.torrent")")
    done
    s=$(printf '%s\n' "${shoal_times[@]}" | median)
    l=$(printf '%s\n' "${lt_times[@]}" | median)
    printf '%-7s shoal %6.2f s (%5.0f MiB/s)   libtorrent %6.2f s (%5.0f MiB/s)   shoal is %.2fx faster\n' \
        "$version" "$s" "$(echo "$size_mib / $s" | bc -l)" "$l" "$(echo "$size_mib / $l" | bc -l)" "$(echo "$l / $s" | bc -l)"
    same=$(/usr/bin/python3 "$root/tests/Shoal.Interop.Tests/scripts/lt_hashes.py" "$work/s.torrent")
    theirs=$(/usr/bin/python3 "$root/tests/Shoal.Interop.Tests/scripts/lt_hashes.py" "$work/l.torrent")
    if [ "$(echo "$same" | cut -d, -f1-2)" = "$(echo "$theirs" | cut -d, -f1-2)" ]; then same=true; echo "        same info-hashes"
    else echo "        INFO-HASHES DIFFER: $same vs $theirs"; same=false; fi
    entries+=("$(printf '{"what":"create %s","shoal_s":%.4f,"reference_s":%.4f,"ratio":%.4f,"same_info_hashes":%s,"shoal_runs_s":[%s],"reference_runs_s":[%s]}' \
        "$version" "$s" "$l" "$(echo "$l / $s" | bc -l)" "$same" "$(json_list "${shoal_times[@]}")" "$(json_list "${lt_times[@]}")")")
done
if [ -n "${RESULTS:-}" ]; then
    (IFS=,; printf '{"size_bytes":%s,"reference":"libtorrent %s create_torrent","runs":[%s]}\n' "$((size_mib * 1024 * 1024))" \
        "$(/usr/bin/python3 -c 'import libtorrent; print(libtorrent.__version__)')" "${entries[*]}") | /usr/bin/python3 -m json.tool >"$RESULTS"
fi
