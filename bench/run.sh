#!/usr/bin/env bash
# Every benchmark of issue 17 in one go, each with its reference in the same run, then the report:
# OUT/REPORT.md (each target: the figure, the reference, the ratio, met or not and by how much), OUT/report.json
# (every figure) and OUT/*.png (matplotlib). A sub-bench script not in this tree is reported missing; one that
# fails (non-zero exit, or RESULTS not of the agreed shape) is reported failed; either way the run goes on.
#
# usage: [QUICK=1] [OUT=DIR] [BENCHES="transfer swarm simulation tracker create startup"] bench/run.sh
#   QUICK=1: every sub-bench with QUICK=1 (small sizes, one run): a smoke test of the harness, about 2
#   minutes, figures not comparable; ./test.sh runs it. OUT defaults to bench/report (bench/report/quick
#   for QUICK=1); OUT/raw holds each bench's RESULTS json and log.
#   Exit 0 when every present bench succeeded and the report is written; 1 otherwise (the report says why).
set -uo pipefail
here="$(dirname "$(readlink -f "$0")")"
root="$(cd "$here/.." && pwd)"
py=/usr/bin/python3
quick="${QUICK:-0}"
[ "$quick" = 1 ] && out="${OUT:-$here/report/quick}" || out="${OUT:-$here/report}"
benches="${BENCHES:-transfer swarm simulation tracker create startup}"
# Generous bounds, only so that a hung bench cannot hang the run (QUICK scripts take at most ~30 s each).
[ "$quick" = 1 ] && limit=300 || limit=3600
declare -A scripts=([transfer]=transfer.sh [swarm]=swarm.sh [simulation]=simulation.sh [tracker]=tracker.sh
                    [create]=create-vs-libtorrent.sh [startup]=startup.sh)

# Loopback only: no DHT router on the internet, no port mapping asked of the real router, no LSD multicast.
export SHOAL_Dht__Bootstrap=none SHOAL_Net__PortMapping=false SHOAL_Net__LocalDiscovery=false
export QUICK="$quick"

$py -c 'import matplotlib' 2>/dev/null || { echo "run.sh: needs python3-matplotlib for /usr/bin/python3 (apt-get install python3-matplotlib)" >&2; exit 1; }
mkdir -p "$out/raw"
rm -f "$out/raw/"* "$out/"*.png "$out/REPORT.md" "$out/report.json"
started=$(date +%s.%N)

echo "run.sh: publishing shoal once (./shoal: Release, NativeAOT where a C toolchain links it, else ReadyToRun)" >&2
"$root/shoal" --version >/dev/null || { echo "run.sh: cannot build shoal" >&2; exit 1; }
export SHOAL="$root/.build/shoal/shoal"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
for bench in $benches; do
    script="bench/${scripts[$bench]:?unknown bench $bench}"
    if [ ! -f "$root/$script" ]; then
        echo "run.sh: $bench: $script missing" >&2
        printf '{"bench":"%s","script":"%s","status":"missing"}\n' "$bench" "$script" >>"$out/raw/benches.jsonl"
        continue
    fi
    echo "run.sh: $bench ($script$([ "$quick" = 1 ] && echo ", QUICK"))..." >&2
    before=$(loadavg); t0=$(date +%s.%N)
    RESULTS="$out/raw/$bench.json" timeout -k 30 "$limit" bash "$root/$script" >"$out/raw/$bench.log" 2>&1
    code=$?
    t1=$(date +%s.%N)
    [ "$code" -eq 124 ] && echo "run.sh: $bench timed out after $limit s" >>"$out/raw/$bench.log"
    echo "run.sh: $bench exit $code in $(printf '%.0f' "$(echo "$t1 - $t0" | bc)") s" >&2
    printf '{"bench":"%s","script":"%s","status":"ran","exit":%d,"seconds":%.1f,"load_before":"%s","load_after":"%s","results":"%s","log":"raw/%s.log"}\n' \
        "$bench" "$script" "$code" "$(echo "$t1 - $t0" | bc)" "$before" "$(loadavg)" "$out/raw/$bench.json" "$bench" >>"$out/raw/benches.jsonl"
done

RUN_SECONDS=$(echo "$(date +%s.%N) - $started" | bc) $py "$here/report/report.py" "$out"
code=$?
if [ "$code" -gt 1 ] || [ ! -s "$out/REPORT.md" ] || [ ! -s "$out/report.json" ]; then
    echo "run.sh: the report was not written ($out)" >&2
    exit 1
fi
echo "run.sh: report in $out/REPORT.md$([ "$code" -ne 0 ] && echo " — some benches FAILED, see there")" >&2
exit "$code"
