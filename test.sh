#!/usr/bin/env bash
# Runs Krait's whole test suite: the command the README gives and CI runs.
# Usage: ./test.sh [RESULTS_DIR]   (test results, one .trx per test project, go to RESULTS_DIR; default artifacts/test-results)
set -uo pipefail
cd "$(dirname "$0")"
results="${1:-artifacts/test-results}"
mkdir -p "$results"

dotnet build Krait.slnx -c Release || exit 1
# The NativeAOT krait (artifacts/krait-aot/krait): the offline installer tests put it in a bundle and run it.
./bench/publish.sh >/dev/null || echo "warning: the NativeAOT publish failed; the installer tests will fail" >&2

status=0
for project in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done
exit "$status"
