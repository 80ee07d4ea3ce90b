#!/usr/bin/env bash
# Issue 16's benchmark: MIB MiB from one home to another through the network lab (tests/Shoal.Interop.Tests/Lab:
# two homes behind NAT routers, 25 ms each way and 1 % loss each way between them), over TCP and over uTP, Shoal
# against libtorrent (python3-libtorrent), after a raw TCP flow over the same path (CUBIC and BBR). Run by hand, as
# root (network namespaces); ./test.sh skips it. One run per case, each in a fresh lab.
#
# usage: [MIB=256] [CASES=path-cubic,path-bbr,shoal-tcp,libtorrent-tcp,shoal-utp,libtorrent-utp] bench/nat-lab.sh
#   The report (tab-separated: case, bytes, seconds, MiB/s, packets forwarded and dropped by the delay line) is kept
#   in REPORT, by default a new file under /tmp.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
report="${REPORT:-$(mktemp "${TMPDIR:-/tmp}/shoal-nat-lab.XXXXXX.tsv")}"

cd "$root"
dotnet build tests/Shoal.Interop.Tests -c Release --nologo -v quiet >/dev/null
echo "nat-lab: ${MIB:-256} MiB a case, report in $report"
SHOAL_LAB_BENCH_MIB="${MIB:-256}" SHOAL_LAB_BENCH_CASES="${CASES:-}" SHOAL_LAB_BENCH_REPORT="$report" \
    dotnet test tests/Shoal.Interop.Tests -c Release --no-build --nologo --filter 'FullyQualifiedName~NatLabBenchmark' \
    --logger 'console;verbosity=detailed' | grep -E '^\s+(path|shoal|libtorrent)-|^(Passed|Failed)!|^\s+Failed |Error Message' -A1 || true

echo
echo "| case | MiB | seconds | MiB/s | Mbit/s | delay line dropped |"
echo "|---|---|---|---|---|---|"
awk -F'\t' '{ printf "| %s | %.0f | %.1f | %.2f | %.1f | %.2f %% |\n", $1, $2 / 1048576, $3, $4, $4 * 8.388608, 100 * $6 / ($5 + $6) }' "$report"
