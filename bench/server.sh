#!/usr/bin/env bash
# Krait Server beside nginx (Debian) serving the same files in the same run:
#  1. repodata.json.zst of a 493,567-record subdir and a 40 MB package, to 1, 16 and 64 concurrent clients (wrk):
#     requests/s and MB/s, median of RUNS runs of DURATION seconds, and Krait's ratio to nginx;
#  2. upload-to-visible: one package uploaded into that 493,567-record channel (the POST returns once the shard index
#     and channeldata list it), median of RUNS uploads, and when repodata.json (rewritten in the background) lists
#     it, beside a full re-index of the channel;
#  3. the server's peak memory (VmHWM) after serving and after the uploads.
# Usage: ./bench/server.sh   (RUNS=3 DURATION=5 PORT=18080; needs nginx and wrk, installed with apt-get when root)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-3}"
duration="${DURATION:-5}"
port="${PORT:-18080}"
nginx_port=$((port + 1))

missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v zstd >/dev/null || missing+=(zstd)
if [ "${#missing[@]}" -gt 0 ]; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "install ${missing[*]} first" >&2; exit 1; }
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

dotnet build src/Krait.Server -c Release -nologo -v q >/dev/null
dotnet build bench/Krait.Bench -c Release -nologo -v q >/dev/null
[ -f bench/out/large/linux-64/repodata.json ] || dotnet run -c Release --project bench/Krait.Bench.Generator -- --preset large --seed 42 --out bench/out/large >/dev/null
server=(dotnet src/Krait.Server/bin/Release/net10.0/krait-server.dll)
bench=(dotnet bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll)

work="$(pwd)/bench/out/server"
rm -rf "$work"
mkdir -p "$work"
home="$work/home"
key=$("${server[@]}" init "$home" --json | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
"${server[@]}" channel create "$home" --name bench >/dev/null
"${server[@]}" channel create "$home" --name big >/dev/null
"${bench[@]}" server-seed "$home" big bench/out/large/linux-64/repodata.json
reindex=$( { /usr/bin/time -f "%e %M" "${server[@]}" channel reindex "$home" --name big >/dev/null; } 2>&1 | tail -n 1)
echo "full re-index of 493,567 records: $(cut -d' ' -f1 <<<"$reindex") s, peak memory $(( $(cut -d' ' -f2 <<<"$reindex") / 1024 )) MB"

"${server[@]}" run "$home" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
cat >"$work/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    types { application/octet-stream conda zst; }
    server {
        listen 127.0.0.1:$nginx_port;
        location /big/linux-64/ { alias $home/storage/channels/big/index/main/linux-64/; etag on; }
        location /bench/noarch/ { alias $home/storage/channels/bench/files/noarch/; etag on; }
    }
}
NGINX
"$nginx_bin" -c "$work/nginx.conf" &
nginx_pid=$!
trap 'kill $server_pid $nginx_pid 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# The server loads the channel's records in the background after it starts (for incremental uploads): measure after.
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$port/metrics" | grep -q '^krait_publisher_warm 1' && break; sleep 0.5; done

package=$("${bench[@]}" package "$work/packages" bigdata noarch 40960)
curl -sf -X POST -H "X-API-Key: $key" --data-binary "@$package" "http://127.0.0.1:$port/api/channels/bench/upload/$(basename "$package")" >/dev/null

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# wrk's "Transfer/sec: 12.34MB" in MB/s
megabytes() { awk '{v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2); if (u=="GB") n*=1024; else if (u=="KB") n/=1024; else if (u!="MB") n=v/1048576; print n}'; }

echo
echo "| file | clients | Krait req/s | nginx req/s | Krait MB/s | nginx MB/s | Krait/nginx (MB/s) |"
echo "|---|---|---|---|---|---|---|"
for file in big/linux-64/repodata.json.zst bench/noarch/$(basename "$package"); do
    for clients in 1 16 64; do
        threads=$(( clients < 2 ? 1 : 2 ))
        declare -A rps=() mbs=()
        for target in krait nginx; do
            p=$([ $target = krait ] && echo $port || echo $nginx_port)
            r=(); m=()
            for _ in $(seq 1 "$runs"); do
                out=$(wrk -t"$threads" -c"$clients" -d"${duration}s" "http://127.0.0.1:$p/$file")
                r+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
                m+=("$(grep 'Transfer/sec' <<<"$out" | megabytes)")
            done
            rps[$target]=$(printf '%s\n' "${r[@]}" | median)
            mbs[$target]=$(printf '%s\n' "${m[@]}" | median)
        done
        ratio=$(awk -v a="${mbs[krait]}" -v b="${mbs[nginx]}" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
        printf '| %s | %s | %.0f | %.0f | %.0f | %.0f | %s |\n' "${file##*/}" "$clients" "${rps[krait]}" "${rps[nginx]}" "${mbs[krait]}" "${mbs[nginx]}" "$ratio"
    done
done
serving_peak=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server_pid/status")

times=()
monolith=()
for i in $(seq 1 "$runs"); do
    upload=$("${bench[@]}" package "$work/packages" "visible$i" linux-64 64)
    start=$(date +%s.%N)
    t=$(curl -sf -o /dev/null -w '%{time_total}' -X POST -H "X-API-Key: $key" --data-binary "@$upload" "http://127.0.0.1:$port/api/channels/big/upload/$(basename "$upload")")
    # When the POST returns, the shard index names the package (what pixi, mamba and krait read).
    listed=$(curl -sf "http://127.0.0.1:$port/big/linux-64/repodata_shards.msgpack.zst" | zstd -dc | grep -a -c "visible$i" || true)
    [ "$listed" -ge 1 ] || { echo "visible$i is not in the shard index after its upload" >&2; exit 1; }
    times+=("$t")
    # repodata.json (what conda reads) is rewritten in the background: when does it list the package?
    until [ "$(curl -sf "http://127.0.0.1:$port/big/linux-64/repodata.json" | grep -c -F "\"visible$i-1.0-0.conda\"" || true)" -ge 1 ]; do sleep 0.2; done
    monolith+=("$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')")
done
upload_peak=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$server_pid/status")
echo
echo "upload-to-visible into 493,567 records: median $(printf '%s\n' "${times[@]}" | median) s of ${times[*]} (shards, channeldata);"
echo "  repodata.json lists it after a median $(printf '%s\n' "${monolith[@]}" | median) s of ${monolith[*]}; full re-index: $(cut -d' ' -f1 <<<"$reindex") s"
echo "server peak memory: $serving_peak MB after serving, $upload_peak MB after the uploads"
