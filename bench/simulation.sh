#!/usr/bin/env bash
# The whole-swarm simulation on virtual time (tests/Shoal.Tests/Swarm/Simulation/WholeSwarmSimulation.cs): one seeder
# and LEECHERS leechers, 16 MiB, every upload 4 MiB/s, downloads 8-32 MiB/s, latencies 5-40 ms one way, each leecher
# given 50 random peers; real swarm logic over real wire bytes. Prints, per seed, the ideal time (the fluid bound plus
# one piece time), the last completion, their ratio, the seeder's upload and the real and CPU seconds the run took.
# Deterministic for a seed: the same seed gives the same virtual times on any machine; only real seconds vary.
#
# usage: [LEECHERS=1000] [SEEDS=1,2,3] [QUICK=1] [NO_BUILD=1] [RESULTS=/path/file.json] bench/simulation.sh
#   QUICK=1: 100 leechers, one seed (a few seconds), no build if the tests are built. NO_BUILD=1: never build.
#   RESULTS: the figures as JSON (see bench/README.md).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
if [ "${QUICK:-0}" = 1 ]; then
    leechers="${LEECHERS:-100}"; seeds="${SEEDS:-1}"
else
    leechers="${LEECHERS:-1000}"; seeds="${SEEDS:-1}"
fi

project="$root/tests/Shoal.Tests/Shoal.Tests.csproj"
# QUICK (test.sh's run, right after the tests) takes the tests' build as it is; a build alone takes a minute here.
built="$root/tests/Shoal.Tests/bin/Release/net10.0/Shoal.Tests.dll"
if [ "${QUICK:-0}" = 1 ] && [ -f "$built" ]; then NO_BUILD=1; fi
if [ "${NO_BUILD:-0}" != 1 ]; then
    dotnet build "$project" -c Release -v quiet -nologo >/dev/null
fi

results="${RESULTS:-}"
json="$(mktemp "${TMPDIR:-/tmp}/shoal-simulation.XXXXXX.json")"
trap 'rm -f "$json"' EXIT
SHOAL_SIM_RESULTS="$json" SHOAL_SIM_LEECHERS="$leechers" SHOAL_SIM_SEEDS="$seeds" \
    dotnet test "$project" -c Release --no-build --filter "FullyQualifiedName=Shoal.Tests.Swarm.WholeSwarmSimulationTests.Bench" \
    --logger "console;verbosity=detailed" 2>&1 | sed -n 's/^ *\(seed [0-9]*:.*\)/\1/p'
[ -s "$json" ] || { echo "the simulation wrote no results" >&2; exit 1; }

if [ -n "$results" ]; then
    commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    python3 - "$json" "$results" "$commit" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
data["commit"] = sys.argv[3]
json.dump(data, open(sys.argv[2], "w"))
PY
fi
