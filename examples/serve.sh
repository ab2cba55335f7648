#!/usr/bin/env bash
# Starts Krait Server on http://127.0.0.1:$PORT (default 8000) with the example channel uploaded as the channel
# "example", prints how to install from it, and serves until Ctrl-C. KRAIT_SERVER_HOME keeps the server's home
# (default: a new temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"
home="${KRAIT_SERVER_HOME:-$(mktemp -d)/server}"

dotnet build src/Krait.Server -c Release -nologo -v q >/dev/null
dotnet build src/Krait.Cli -c Release -nologo -v q >/dev/null
server=(dotnet src/Krait.Server/bin/Release/net10.0/krait-server.dll)
krait=(dotnet src/Krait.Cli/bin/Release/net10.0/krait.dll)

key=$("${server[@]}" init "$home" --json | sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p')
"${server[@]}" channel create "$home" --name example
"${server[@]}" run "$home" --urls "http://127.0.0.1:$port" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
    sleep 0.1
done

"${krait[@]}" upload -c "http://127.0.0.1:$port/example" --api-key "$key" examples/channel/*/*.conda examples/channel/*/*.tar.bz2 >/dev/null
cat <<TEXT

Krait Server is serving the example channel at http://127.0.0.1:$port/example (home: $home).
The administrator's API key: $key

Install from it (Krait, or conda/mamba/pixi with the same channel URL):
  dotnet run --project src/Krait.Cli -c Release -- create -y -p /tmp/from-server -c http://127.0.0.1:$port/example --override-channels python numpy pandas
  curl -s http://127.0.0.1:$port/api/channels/example/packages | head -c 300; echo
Ctrl-C stops the server.
TEXT
wait "$pid"
