#!/usr/bin/env bash
# Runs every test in the solution, then the benchmarks' smoke run (QUICK=1 bench/run.sh), first installing the
# real clients the interop tests drive (libtorrent's Python bindings, aria2, Transmission, opentracker), PostgreSQL,
# Chromium, the network lab's nftables, miniupnpd and ping, and the benches' matplotlib, bc and GNU time when this
# machine lacks them. A throw-away PostgreSQL server runs for the duration of the tests; its
# Npgsql connection string is exported as SHOAL_TEST_POSTGRES.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

missing=()
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || missing+=(python3-libtorrent)
command -v aria2c >/dev/null 2>&1 || missing+=(aria2)
command -v transmission-create >/dev/null 2>&1 || missing+=(transmission-cli)
[ -x /usr/bin/opentracker ] || missing+=(opentracker)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The network lab (tests/Shoal.Interop.Tests/Lab): routers' nftables, miniupnpd on one of them, ping to calibrate.
[ -x /usr/sbin/nft ] || missing+=(nftables)
[ -x /usr/sbin/miniupnpd ] || missing+=(miniupnpd-nftables miniupnpd)
command -v ping >/dev/null 2>&1 || missing+=(iputils-ping)
# The benchmarks' smoke run (QUICK=1 bench/run.sh, below): its plots, timings and peak RSS.
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
command -v bc >/dev/null 2>&1 || missing+=(bc)
# ./shoal links its native (NativeAOT) build with the C toolchain; the interop tests drive that binary.
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ -x /usr/bin/time ] || missing+=(time)
if ((${#missing[@]} > 0)); then
    echo "test.sh: installing ${missing[*]}"
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    # The lab runs miniupnpd itself, in a namespace with its own configuration: Debian's service must not start
    # (it would look for an eth0 WAN on this machine). Its install question defaults to no; say it.
    echo "miniupnpd miniupnpd/start_daemon boolean false" | $sudo debconf-set-selections
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log="$(mktemp)"
pgdir="$(mktemp -d)"
trap '.ci/postgres.sh stop "$pgdir"; rm -f "$log"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
SHOAL_TEST_POSTGRES="$(.ci/postgres.sh start "$pgdir")"
export SHOAL_TEST_POSTGRES
echo "test.sh: PostgreSQL at $SHOAL_TEST_POSTGRES"
# The interop tests drive the shoal people run: ./shoal's native build (published once per source change).
./shoal --version >/dev/null
export SHOAL_BINARY="$PWD/.build/shoal/shoal"
status=0
dotnet test Shoal.slnx -c Release --nologo 2>&1 | tee "$log" || status=$?

# Keeps the benchmark harness working: every sub-bench small (QUICK=1), its figures not asserted; fails when a
# bench script crashes, writes malformed RESULTS, or the report is not written (bench/report/quick/REPORT.md).
echo "test.sh: the benchmark report's tests, then the harness's smoke run (QUICK=1 bench/run.sh)"
bench_status=0
/usr/bin/python3 bench/report/test_report.py || bench_status=$?
QUICK=1 bench/run.sh || bench_status=$?
[ "$bench_status" -eq 0 ] || { echo "test.sh: QUICK=1 bench/run.sh FAILED (exit $bench_status): see bench/report/quick/REPORT.md"; status=1; }

# One plain closing line for CI, summed over the test projects.
awk '/^(Passed|Failed)!/ {
        for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) }
     }
     END { gsub(",", "", p); printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
