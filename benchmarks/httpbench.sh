#!/usr/bin/env bash
# HTTP API against the machine's HTTP ceiling: keep-alive GET /api/handles/{handle} of the demo node's hot
# records with wrk (installed from Debian if missing) at $CONNECTIONS connections (one request in flight each),
# then the same load against HttpEchoServer (a minimal Netty HTTP server answering the very same JSON body), each
# $REPEAT times in turn; prints a Markdown row per run and the ratio of the medians. Needs
# `mvn -B -q -DskipTests package` first (resolver-server.jar, loadgen.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/idnode-httpbench}
PORT=${PORT:-8081}
ECHO_PORT=${ECHO_PORT:-8082}
THREADS=${THREADS:-1}
WRK_THREADS=${WRK_THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
REPEAT=${REPEAT:-3}

if ! command -v wrk > /dev/null; then
  apt-get install -y wrk > /dev/null
fi
rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() { for p in ${NODE_PID:-} ${ECHO_PID:-}; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

resolver-server/bin/idnode serve --data "$WORK/data" --demo --port 0 --http-port "$PORT" --threads "$THREADS" \
  > "$WORK/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 1 150); do grep -q "listening on" "$WORK/node.log" 2> /dev/null && break; sleep 0.2; done
HANDLES="88.100.1/PUMP-2026-000123 88.100.1/VALVE-2026-004711 88.100.1/MOTOR-2026-000042 88.100.1/BATCH-2026-11"
curl -sf "http://127.0.0.1:$PORT/api/handles/88.100.1/PUMP-2026-000123" > "$WORK/body.json"
cat > "$WORK/hot.lua" <<LUA
paths = {}
for h in string.gmatch("$HANDLES", "%S+") do paths[#paths + 1] = "/api/handles/" .. h end
i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
java -Xms256m -Xmx256m -cp benchmarks/target/loadgen.jar io.idnode.loadgen.HttpEchoServer "$ECHO_PORT" "$THREADS" \
  "$WORK/body.json" 2> "$WORK/echo.log" &
ECHO_PID=$!
for _ in $(seq 1 100); do grep -q "http-echo" "$WORK/echo.log" 2> /dev/null && break; sleep 0.2; done

run() { # $1 = port; prints requests/s
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$WORK/hot.lua" "http://127.0.0.1:$1" \
    > "$WORK/wrk.out"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.out")
  errors=$(grep -c 'Non-2xx' "$WORK/wrk.out" || true)
  timeouts=$(awk '/Socket errors/ {print $NF}' "$WORK/wrk.out")
  echo "$rps $p50 $p99 $errors ${timeouts:-0}"
}

wrk -t 1 -c 8 -d 3s -s "$WORK/hot.lua" "http://127.0.0.1:$PORT" > /dev/null    # warm-up of the JIT
wrk -t 1 -c 8 -d 3s -s "$WORK/hot.lua" "http://127.0.0.1:$ECHO_PORT" > /dev/null
echo "| run | node req/s | node p50 / p99 | ceiling req/s | ceiling p50 / p99 | node/ceiling | timeouts node / ceiling | load (1 min) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
: > "$WORK/node.rps"; : > "$WORK/echo.rps"
for i in $(seq 1 "$REPEAT"); do
  read -r n50 n_p50 n_p99 n_err n_to <<< "$(run "$PORT")"
  read -r e50 e_p50 e_p99 e_err e_to <<< "$(run "$ECHO_PORT")"
  [ "$n_err" = 0 ] && [ "$e_err" = 0 ] || { echo "non-2xx answers in run $i, see $WORK/wrk.out" >&2; exit 1; }
  echo "$n50" >> "$WORK/node.rps"; echo "$e50" >> "$WORK/echo.rps"
  echo "| $i | $n50 | $n_p50 / $n_p99 | $e50 | $e_p50 / $e_p99 | $(awk -v a="$n50" -v b="$e50" 'BEGIN {printf "%.2f", a / b}') | $n_to / $e_to | $(cut -d' ' -f1 /proc/loadavg) |"
done
median() { sort -n "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "median node/ceiling: $(awk -v a="$(median "$WORK/node.rps")" -v b="$(median "$WORK/echo.rps")" 'BEGIN {printf "%.2f", a / b}')"
