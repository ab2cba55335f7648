#!/usr/bin/env bash
# krait build's overhead: the wall time of `krait build` of the C library recipe (tests/Krait.Build.Tests/Recipes/
# libgreet: solve and install the build environment, prepare the source, run the script, find the prefix in the
# files, package and index) beside the time of the same build script run by hand (make install into a folder).
# The target is an overhead under 2 s + 10% of the script's own time. Medians of RUNS runs (default 7) after one
# warm-up, with a warm package cache; KRAIT=path measures another binary. Everything stays under bench/out/build.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-7}"
out="$PWD/bench/out/build"
recipe="$PWD/tests/Krait.Build.Tests/Recipes/libgreet"
rm -rf "$out" && mkdir -p "$out/home"
export HOME="$out/home" CONDARC="$out/home/.condarc" CONDA_PKGS_DIRS="$out/pkgs"
: > "$CONDARC"

if [ -n "${KRAIT:-}" ]; then
    krait="$KRAIT"
else
    ./bench/publish.sh >/dev/null   # the binary must be the code being measured
    krait="$PWD/artifacts/krait-aot/krait"
fi

# The tools (gcc_linux-64, make) as conda packages, built by krait itself from this machine's gcc and make.
"$krait" build bench/build-recipes/tools --output-dir "$out/tools" >/dev/null

. bench/median.sh   # median_ms LABEL PREPARE COMMAND... (the scripts run from the repository root)

bare() {
    rm -rf "$out/bare" && cp -r "$recipe/src" "$out/bare" && mkdir -p "$out/bare-prefix"
    (cd "$out/bare" && CC=gcc make install PREFIX="$out/bare-prefix" SOVERSION=1)
}

echo "== libgreet (the C library recipe), RUNS=$runs"
median_ms "the build script by hand (make install)" "rm -rf '$out/bare-prefix'" bare
script_us=$median_us
median_ms "krait build --no-test" "rm -rf '$out/output'" "$krait" build "$recipe" -c "$out/tools" --output-dir "$out/output" --no-test
build_us=$median_us
median_ms "krait build (with the recipe's two tests)" "rm -rf '$out/output'" "$krait" build "$recipe" -c "$out/tools" --output-dir "$out/output"
tested_us=$median_us
awk -v s="$script_us" -v b="$build_us" -v t="$tested_us" 'BEGIN {
    overhead = (b - s) / 1000; target = 2000 + 0.1 * s / 1000
    printf "  overhead of krait build over the script           %8.1f ms (target < %.1f ms: %s)\n", overhead, target, overhead < target ? "met" : "NOT met"
    printf "  ratio krait build / script                        %8.2f\n", b / s
    printf "  the tests add                                     %8.1f ms\n", (t - b) / 1000 }'
