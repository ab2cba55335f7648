#!/usr/bin/env bash
# What access checks and metering cost Krait Server, measured in one run with wrk (16 clients, median of RUNS runs
# of DURATION seconds):
#  1. requests/s of a small channel's repodata.json: public and anonymous, against private with a member's key
#     (X-API-Key, and /t/KEY/ in the URL as .condarc has it) and commercial with a seat holder's key; the target is
#     a ratio of at least 0.90 (the check costs under 10%);
#  2. requests/s of a 16 KB package download with metering on, against the same server with "metering": false;
#  3. what a crash loses: downloads for DURATION seconds, the server killed (SIGKILL) the moment they end, started
#     again: downloads made (wrk's count) less downloads counted, and as seconds of that download rate.
# Usage: ./bench/server-access.sh   (RUNS=5 DURATION=5 PORT=18090; needs wrk and curl, installed with apt-get when root)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
duration="${DURATION:-5}"
port="${PORT:-18090}"
clients=16

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [ "${#missing[@]}" -gt 0 ]; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "install ${missing[*]} first" >&2; exit 1; }
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet build src/Krait.Server -c Release -nologo -v q >/dev/null
dotnet build bench/Krait.Bench -c Release -nologo -v q >/dev/null
server=(dotnet src/Krait.Server/bin/Release/net10.0/krait-server.dll)
bench=(dotnet bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll)

work="$(pwd)/bench/out/server-access"
rm -rf "$work"
mkdir -p "$work"
home="$work/home"
admin=$("${server[@]}" init "$home" --json | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
for user in reader payer; do "${server[@]}" user add "$home" "$user" >/dev/null; done
reader=$("${server[@]}" key create "$home" --user reader --json | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
payer=$("${server[@]}" key create "$home" --user payer --json | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
"${server[@]}" channel create "$home" --name pub >/dev/null
"${server[@]}" channel create "$home" --name priv --private >/dev/null
"${server[@]}" channel create "$home" --name com --commercial >/dev/null
"${server[@]}" plan set "$home" --channel com --name team --price 15 >/dev/null
"${server[@]}" org create "$home" acme --owner payer >/dev/null
subscription=$("${server[@]}" subscription add "$home" --org acme --channel com --plan team --seats 5 --end 2099-12-31 | sed -n 's/^Subscription \([0-9]*\):.*/\1/p')
"${server[@]}" seat assign "$home" "$subscription" payer >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
pids=()
trap 'kill ${pids[*]} 2>/dev/null; wait 2>/dev/null' EXIT
# start_server HOME PORT
start_server() {
    "${server[@]}" run "$1" --urls "http://127.0.0.1:$2" >"$1/server.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return; sleep 0.1; done
    echo "the server did not start: $(cat "$1/server.log")" >&2; exit 1
}
# requests/s of one wrk run: once URL [HEADER]
once() {
    local out
    if [ -n "${2:-}" ]; then out=$(wrk -t2 -c$clients -d"${duration}s" -H "$2" "$1"); else out=$(wrk -t2 -c$clients -d"${duration}s" "$1"); fi
    grep -q 'Non-2xx' <<<"$out" && { echo "wrk got errors for $1: $out" >&2; exit 1; }
    awk '/Requests\/sec/ {print $2}' <<<"$out"
}

start_server "$home" "$port"
package=$("${bench[@]}" package "$work/packages" smallpkg noarch 16)
for channel in pub priv com; do
    curl -sf -X POST -H "X-API-Key: $admin" --data-binary "@$package" "http://127.0.0.1:$port/api/channels/$channel/upload/$(basename "$package")" >/dev/null
done
curl -sf -X POST -H "X-API-Key: $admin" -H 'Content-Type: application/json' -d '{"username": "reader", "role": "member"}' "http://127.0.0.1:$port/api/channels/priv/members" >/dev/null

# The same repository served by a second instance that does not count downloads.
unmetered_home="$work/unmetered"
"${server[@]}" init "$unmetered_home" --database "$home/metadata.db" --storage "$home/storage" >/dev/null
sed -i 's/^{/{\n  "metering": false,/' "$unmetered_home/server.json"
start_server "$unmetered_home" $((port + 1))

base="http://127.0.0.1:$port"
names=(public private_header private_url commercial metered unmetered)
urls=("$base/pub/noarch/repodata.json" "$base/priv/noarch/repodata.json" "$base/t/$reader/priv/noarch/repodata.json" "$base/com/noarch/repodata.json"
      "$base/pub/noarch/$(basename "$package")" "http://127.0.0.1:$((port + 1))/pub/noarch/$(basename "$package")")
headers=("" "X-API-Key: $reader" "" "X-API-Key: $payer" "" "")
declare -A results=()
# A warm-up pass (JIT, caches), then the scenarios in turn in every run, so that drift of the machine hits them all alike.
for i in "${!names[@]}"; do duration=1 once "${urls[$i]}" "${headers[$i]}" >/dev/null; done
for _ in $(seq 1 "$runs"); do
    for i in "${!names[@]}"; do results[${names[$i]}]+="$(once "${urls[$i]}" "${headers[$i]}") "; done
done
declare -A rps=()
for name in "${names[@]}"; do rps[$name]=$(tr ' ' '\n' <<<"${results[$name]}" | grep . | median); done

# A crash: downloads, then SIGKILL at once; what the database has against what was made.
counted() { curl -sf "$base/api/channels/pub/packages/smallpkg/downloads" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }
sleep 3
before=$(counted)
out=$(wrk -t2 -c$clients -d"${duration}s" "${urls[4]}")
kill -9 "${pids[0]}"
made=$(awk '/requests in/ {print $1}' <<<"$out")
rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
start_server "$home" "$port"
after=$(counted)
lost=$((before + made - after))

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
echo "| request ($clients clients, median of $runs runs of ${duration} s) | req/s | ratio |"
echo "|---|---|---|"
printf '| public repodata.json, anonymous | %.0f | 1.00 |\n' "${rps[public]}"
printf '| private repodata.json, member key in X-API-Key | %.0f | %s |\n' "${rps[private_header]}" "$(ratio "${rps[private_header]}" "${rps[public]}")"
printf '| private repodata.json, member key in /t/KEY/ | %.0f | %s |\n' "${rps[private_url]}" "$(ratio "${rps[private_url]}" "${rps[public]}")"
printf '| commercial repodata.json, seat holder key | %.0f | %s |\n' "${rps[commercial]}" "$(ratio "${rps[commercial]}" "${rps[public]}")"
printf '| 16 KB package, metering off | %.0f | 1.00 |\n' "${rps[unmetered]}"
printf '| 16 KB package, metering on | %.0f | %s |\n' "${rps[metered]}" "$(ratio "${rps[metered]}" "${rps[unmetered]}")"
printf '\ncrash (SIGKILL right after %s s of downloads): %s made, %s counted, %s lost = %.2f s of downloads at %.0f/s (flush interval 2 s)\n' \
    "$duration" "$made" "$((after - before))" "$lost" "$(awk -v l="$lost" -v r="$rate" 'BEGIN {print (r > 0) ? l / r : 0}')" "$rate"
