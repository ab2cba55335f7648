#!/usr/bin/env bash
# Offline bundles: the size of the examples channel's python environment as a bundle (.tar, and .sh with the
# NativeAOT krait inside), how long making one takes, and how long installing it takes on a machine with an empty
# package cache (krait bundle unpack of the .tar; bash NAME.sh -b of the installer) beside `krait create` of the same
# environment from a warm cache. Medians of RUNS runs (default 7) after one warm-up; KRAIT=path measures another
# binary. Everything it writes stays under bench/out/bundle (HOME and the package caches included).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-7}"
out="$PWD/bench/out/bundle"
channel="$PWD/examples/channel"
rm -rf "$out" && mkdir -p "$out/home"
export HOME="$out/home" CONDARC="$out/home/.condarc"
: > "$CONDARC"

if [ -n "${KRAIT:-}" ]; then
    krait="$KRAIT"
else
    ./bench/publish.sh >/dev/null   # the binary must be the code being measured
    krait="$PWD/artifacts/krait-aot/krait"
fi

printf 'name: python\nchannels:\n  - %s\ndependencies:\n  - python\n' "$channel" > "$out/environment.yml"

. bench/median.sh   # median_ms LABEL PREPARE COMMAND... (the scripts run from the repository root)

export CONDA_PKGS_DIRS="$out/pkgs-warm"
"$krait" create -y -q -p "$out/reference" -c "$channel" --override-channels python
packages=$(find "$out/reference/conda-meta" -name '*.json' | wc -l)
files=$(find "$out/reference" \( -type f -o -type l \) | wc -l)
echo "== the examples channel's python environment: $packages packages, $files files"

"$krait" bundle -f "$out/environment.yml" -o "$out/python.tar" -q
"$krait" bundle -f "$out/environment.yml" -o "$out/python.sh" -q
tar_bytes=$(stat -c %s "$out/python.tar")
sh_bytes=$(stat -c %s "$out/python.sh")
krait_bytes=$(stat -c %s "$krait")
echo "-- size"
printf '  %-52s %10d bytes\n' "python.tar (packages, index, manifest)" "$tar_bytes"
printf '  %-52s %10d bytes\n' "python.sh (the same, the installer and krait)" "$sh_bytes"
printf '  %-52s %10d bytes\n' "of which the NativeAOT krait" "$krait_bytes"

echo "-- time"
median_ms "krait bundle -o python.tar (warm cache)" "rm -f '$out/again.tar'" "$krait" bundle -f "$out/environment.yml" -o "$out/again.tar" -q
median_ms "krait create, warm cache (the baseline)" "rm -rf '$out/env'" "$krait" create -y -q -p "$out/env" -c "$channel" --override-channels python
create_us=$median_us
median_ms "krait bundle unpack python.tar, empty cache" "rm -rf '$out/env' '$out/pkgs-cold'" env CONDA_PKGS_DIRS="$out/pkgs-cold" "$krait" bundle unpack "$out/python.tar" -p "$out/env" -y -q
unpack_us=$median_us
median_ms "bash python.sh -b, empty cache" "rm -rf '$out/env' '$out/pkgs-cold'" env CONDA_PKGS_DIRS="$out/pkgs-cold" bash "$out/python.sh" -b -p "$out/env"
script_us=$median_us
awk -v c="$create_us" -v u="$unpack_us" -v s="$script_us" 'BEGIN {
    printf "  ratio unpack / create from a warm cache              %8.2f\n", u / c
    printf "  ratio installer / create from a warm cache           %8.2f\n", s / c }'
