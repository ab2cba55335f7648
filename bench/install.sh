#!/usr/bin/env bash
# Installing: extraction MB/s (Krait in process beside conda-package-handling, the same archives in the same run),
# whole `krait create` from a warm and a cold package cache (NativeAOT binary) beside `cp -al` / `cp -a` of the same
# files, and where a warm create's wall time goes, idle and beside two busy processes (CPU, waiting for a CPU,
# blocked). Medians of RUNS runs (default 7; about 6 minutes, most of it 80 `cph x` processes per run; PART=extract
# or PART=commands runs one part; KRAIT=path measures another binary). Everything it writes stays under
# bench/out/install (HOME and the package cache included), so nothing of the user's is read or touched.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-7}"
out="$PWD/bench/out/install"
shared=../shared/data
mkdir -p "$out/home"
export HOME="$out/home" CONDARC="$out/home/.condarc"
: > "$CONDARC"

if ! command -v cph >/dev/null 2>&1; then
    apt-get install -y -q conda-package-handling >/dev/null 2>&1 || echo "peer missing: conda-package-handling could not be installed"
fi

# KRAIT=path measures that binary instead (an older build, to compare before and after a change).
if [ -n "${KRAIT:-}" ]; then
    krait="$KRAIT"
else
    ./bench/publish.sh >/dev/null   # the binary must be the code being measured
    krait="$PWD/artifacts/krait-aot/krait"
fi
dotnet build bench/Krait.Bench -c Release -nologo -v q >/dev/null

if [ "${PART:-all}" != commands ]; then
echo "== extraction (krait-bench extract; krait in process, cph in process and as 'cph x' per archive)"
real=()
if [ -d "$shared" ]; then
    mapfile -t real < <(find "$shared/packages" "$shared/channels/zlib-formats" "$shared/channels/conda-test-recipes" \
        \( -name '*.conda' -o -name '*.tar.bz2' \) | sort)
fi
dotnet bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll extract --runs "$runs" --work "$out/extract" \
    --synthetic "$out/synthetic" ${real[@]+--batch real "${real[@]}"}
fi
[ "${PART:-all}" = extract ] && exit 0

MEDIAN_WIDTH=44
. bench/median.sh   # median_ms LABEL PREPARE COMMAND... (the scripts run from the repository root)

# create_bench NAME CHANNEL PLATFORM KIND SPEC...: KIND is "create", or "install" (into an empty environment).
create_bench() {
    local name="$1" channel="$2" platform="$3" kind="$4"; shift 4
    local cache="$out/$name/pkgs" env="$out/$name/env" reference="$out/$name/reference"
    local command=("$krait" create -p "$env" -c "$channel" --override-channels --platform "$platform" -y -q "$@")
    local fresh="rm -rf '$env'"
    if [ "$kind" = install ]; then
        command=("$krait" install -p "$env" -c "$channel" --override-channels --platform "$platform" -y -q "$@")
        fresh="rm -rf '$env' && mkdir -p '$env/conda-meta'"
    fi
    export CONDA_PKGS_DIRS="$cache"
    rm -rf "$out/$name" && mkdir -p "$out/$name"
    # The reference environment fills the cache and is what cp copies.
    eval "${fresh//$env/$reference}"
    "${command[@]/#$env/$reference}" >/dev/null 2>&1 || { echo "failed: ${command[*]/#$env/$reference}" >&2; exit 1; }
    local packages files
    packages=$(find "$reference/conda-meta" -name '*.json' | wc -l)
    files=$(find "$reference" \( -type f -o -type l \) | wc -l)
    echo "-- $name: krait $kind of $packages packages, $files files ($*)"
    median_ms "krait $kind, warm cache" "$fresh" "${command[@]}"
    local warm=$median_us
    median_ms "cp -al of the same files (the floor)" "rm -rf '$env'" cp -al "$reference" "$env"
    local floor=$median_us
    median_ms "cp -a of the same files" "rm -rf '$env'" cp -a "$reference" "$env"
    median_ms "krait $kind, cold cache (extract too)" "$fresh && rm -rf '$cache'" "${command[@]}"
    awk -v w="$warm" -v f="$floor" -v p="$packages" 'BEGIN { printf "  warm krait / cp -al: %.1fx; %.2f ms per package\n", w / f, w / 1000 / p }'
}

echo "== whole commands (NativeAOT krait, process start included; HOME and CONDA_PKGS_DIRS under bench/out/install)"
create_bench example-libs ./examples/channel linux-64 create \
    mkl zstd lz4-c xz bzip2 libopenblas intel-openmp libstdcxx-ng zlib libzlib libgcc-ng libgomp libblas _libgcc_mutex
create_bench example-python ./examples/channel linux-64 create \
    python numpy scipy pandas matplotlib-base jinja2 joblib fonttools cycler attrs pyparsing python-dateutil packaging \
    setuptools pip wheel six mkl zstd lz4-c xz bzip2
if [ -d "$shared/channels/conda-test-recipes" ]; then
    create_bench test-recipes "$shared/channels/conda-test-recipes" linux-64 create \
        another_dependent other_dependent post_link-b small-executable sample_noarch_python python=3.99 pip versioned=2 \
        buildstring run_constrained activate_deactivate_package private-package pre_link_messages_package \
        post_link_run_in_env_package clobber-a feature=2 post_link-c post_link-d
fi

# The issue's warm-cache create, idle and beside two busy processes: where its wall time goes (CPU, waiting for a
# CPU, blocked), so that a slow run can be told apart from a waiting one (bench/wall_cpu.py explains the columns).
echo "== warm-cache create of python numpy pandas (example channel): wall time, idle and under load"
export CONDA_PKGS_DIRS="$out/example-python/pkgs"
python3 bench/wall_cpu.py "$runs" "rm -rf '$out/wall-env'" -- \
    "$krait" create -y -q -p "$out/wall-env" -c ./examples/channel --override-channels --platform linux-64 python numpy pandas
