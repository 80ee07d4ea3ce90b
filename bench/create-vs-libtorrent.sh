#!/usr/bin/env bash
# Times `shoal create` against libtorrent's create_torrent (python3-libtorrent) on the same
# 1 GiB file, in the same run, warm page cache, same piece size. Run by hand; not a test.
# usage: bench/create-vs-libtorrent.sh [SIZE_MIB] [RUNS]
set -euo pipefail
command -v bc >/dev/null || { echo "needs bc: apt-get install bc" >&2; exit 1; }
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

dotnet publish "$root/src/Shoal.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/shoal" --verbosity quiet >/dev/null
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/data.bin"
cat "$work/data.bin" > /dev/null   # warm the page cache so both read from memory

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "content: ${size_mib} MiB, $(nproc) cores, median of ${runs} runs"
for version in v1 hybrid; do
    shoal_times=(); lt_times=()
    for _ in $(seq "$runs"); do
        shoal_times+=("$(seconds "$work/shoal/shoal" create "$work/data.bin" -o "$work/s.torrent" "--$version")")
        lt_times+=("$(seconds /usr/bin/python3 "$root/tests/Shoal.Interop.Tests/scripts/lt_create.py" "$work/data.bin" 0 "$version" "$work/l.torrent")")
    done
    s=$(printf '%s\n' "${shoal_times[@]}" | median)
    l=$(printf '%s\n' "${lt_times[@]}" | median)
    printf '%-7s shoal %6.2f s (%5.0f MiB/s)   libtorrent %6.2f s (%5.0f MiB/s)   shoal is %.2fx faster\n' \
        "$version" "$s" "$(echo "$size_mib / $s" | bc -l)" "$l" "$(echo "$size_mib / $l" | bc -l)" "$(echo "$l / $s" | bc -l)"
    same=$(/usr/bin/python3 "$root/tests/Shoal.Interop.Tests/scripts/lt_hashes.py" "$work/s.torrent")
    theirs=$(/usr/bin/python3 "$root/tests/Shoal.Interop.Tests/scripts/lt_hashes.py" "$work/l.torrent")
    [ "$(echo "$same" | cut -d, -f1-2)" = "$(echo "$theirs" | cut -d, -f1-2)" ] && echo "        same info-hashes" || echo "        INFO-HASHES DIFFER: $same vs $theirs"
done
