#!/usr/bin/env bash
# The fuzz campaign: every fuzz test (xUnit trait Category=Fuzz) with INPUTS inputs per parser instead of
# its per-run budget, one test at a time at low priority, then a table of the figures each parser
# reported: inputs, seconds, inputs/s, accepted, rejected and the managed memory it kept. Run by hand;
# ./test.sh runs the same tests with their small per-run budgets.
#
# usage: [INPUTS=10000000] [FILTER='FullyQualifiedName~Wire'] bench/fuzz.sh
#   FILTER narrows the tests (dotnet test --filter syntax, joined to Category=Fuzz).
#   The report (tab-separated) is kept in REPORT, by default a new file under /tmp.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
inputs="${INPUTS:-10000000}"
filter="Category=Fuzz${FILTER:+&${FILTER}}"
report="${REPORT:-$(mktemp "${TMPDIR:-/tmp}/shoal-fuzz.XXXXXX.tsv")}"

cd "$root"
nice dotnet build Shoal.slnx -c Release --nologo -v quiet >/dev/null
echo "fuzz: $inputs inputs per parser, report in $report"
for project in tests/Shoal.Tests tests/Shoal.Tracker.Tests tests/Shoal.Node.Tests; do
    SHOAL_FUZZ_INPUTS="$inputs" SHOAL_FUZZ_REPORT="$report" nice dotnet test "$project" -c Release --no-build --nologo \
        --filter "$filter" -- xUnit.ParallelizeTestCollections=false xUnit.MaxParallelThreads=1 | grep -E '^(Passed|Failed)!|^\s+Failed ' || true
done

echo
echo "| parser | inputs | time | inputs/s | accepted | rejected | memory growth |"
echo "|---|---|---|---|---|---|---|"
awk -F'\t' '{ printf "| %s | %d | %.0f s | %d | %d | %d | %.2f MiB |\n", $1, $2, $3, $4, $5, $6, $7 / 1048576 }' "$report"
