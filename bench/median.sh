# Sourced by the benchmark scripts (bundle.sh, build.sh, install.sh): `median_ms LABEL PREPARE COMMAND...` runs
# PREPARE (untimed) then COMMAND, $runs times after one warm-up, each after a `sync` so that the previous run's
# writeback does not land in this one; prints the median under LABEL (padded to MEDIAN_WIDTH, default 52) and leaves
# it in $median_us.
median_ms() {
    local label="$1" prepare="$2"; shift 2
    local samples=()
    for run in $(seq 0 "$runs"); do
        eval "$prepare"
        sync
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
        end=$(date +%s%N)
        if [ "$run" -gt 0 ]; then samples+=($(( (end - start) / 1000 ))); fi
    done
    median_us=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    awk -v label="$label" -v us="$median_us" -v width="${MEDIAN_WIDTH:-52}" 'BEGIN { printf "  %-" width "s %8.1f ms\n", label, us / 1000 }'
}
