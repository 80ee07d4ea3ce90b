#!/usr/bin/env bash
# Swarm efficiency on 127.0.0.1: one seeder and N leechers, every peer's upload capped, Shoal and libtorrent in
# the same run. Prints, per client and leecher count, the last leecher's completion (from the seeder's ready line),
# efficiency = (size / cap) / that time, the seeder's upload as a multiple of the file, the CPU the processes used
# (as a share of the machine's 2 cores: near 1 means the run was CPU-bound, not bandwidth-bound) and the load average
# before and after. Files live under /var/tmp (the real disk). Run by hand; not a test.
#
# usage: [LEECHERS="8 32"] [SIZE_MIB=64] [CAP=4000000] [PIECE_KIB=0] [CLIENTS="shoal libtorrent"] [QUICK=1]
#        [RESULTS=out.json] [KEEP=1] bench/swarm.sh
#   CLIENTS also takes SEEDER:LEECHERS, e.g. shoal:libtorrent (a Shoal seeder of libtorrent leechers: interoperation).
#   PIECE_KIB 0 lets libtorrent choose the piece size (the same torrent serves both clients).
#   QUICK=1: 4 leechers, 8 MiB (about 30 s in all). RESULTS: the figures as JSON (bench/run.sh's contract).
#   KEEP=1 keeps the work folder and every process's log.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || { echo "needs python3-libtorrent for /usr/bin/python3" >&2; exit 1; }
# bench/run.sh publishes once and sets SHOAL; alone, ./shoal builds once per source change (NativeAOT or ReadyToRun, .build/shoal).
[ -n "${SHOAL:-}" ] || "$root/shoal" --version >/dev/null
exec /usr/bin/python3 "$root/bench/swarm.py"
