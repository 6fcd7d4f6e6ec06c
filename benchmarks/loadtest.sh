#!/usr/bin/env bash
# The load matrix of benchmarks/README.md: UDP, persistent TCP and TCP per request at 1, 8, 64 and 256
# requests in flight, against the echo server (the machine's ceiling) and against a node holding 100,000
# imported records. Writes one JSON summary line per run to $WORK/echo.jsonl and $WORK/node.jsonl and an
# HTML report per run. Needs the jars: mvn -o -B -q package -pl benchmarks -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
SERVER=resolver-server/target/resolver-server.jar
WORK=${WORK:-/tmp/idnode-loadtest}
PORT=${PORT:-2641}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
THREADS=${THREADS:-1}          # I/O threads of the server under test and of the generator
KEYS='88.100.1/P%08d:100000'

rm -rf "$WORK"
mkdir -p "$WORK"
java -jar "$LOADGEN" generate --pattern "$KEYS" --out "$WORK/records.jsonl"
java -jar "$SERVER" import --data "$WORK/node" "$WORK/records.jsonl"

await_log() { # waits until the server's log says it is listening
  for _ in $(seq 1 100); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "server did not start, see $1" >&2
  return 1
}

matrix() { # $1 = label, $2 = server pid
  for transport in udp tcp tcp-per-request; do
    for inflight in 1 8 64 256; do
      java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport "$transport" --in-flight "$inflight" \
        --threads "$THREADS" --pattern "$KEYS" --distribution zipf --warmup "$WARMUP" --duration "$DURATION" \
        --server-pid "$2" --html "$WORK/$1-$transport-$inflight.html" >> "$WORK/$1.jsonl"
    done
  done
}

java -jar "$LOADGEN" echo --port "$PORT" --threads "$THREADS" --reply-bytes 345 2> "$WORK/echo.log" &
ECHO=$!
await_log "$WORK/echo.log" "replies on"
matrix echo "$ECHO"
kill "$ECHO"
wait "$ECHO" || true

java ${NODE_JAVA_OPTS:-} -jar "$SERVER" serve --demo --data "$WORK/node" --port "$PORT" --threads "$THREADS" \
  > "$WORK/node.log" 2>&1 &
NODE=$!
await_log "$WORK/node.log" "listening on"
matrix node "$NODE"
kill "$NODE"
wait "$NODE" || true
echo "results in $WORK/echo.jsonl and $WORK/node.jsonl"

if command -v jq > /dev/null; then
  echo "| transport | in flight | echo replies/s | echo p50 / p99 µs | node replies/s | node p50 / p99 µs | node/echo | node CPU % | node RSS MiB | node timeouts+errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  jq -rs --slurpfile node "$WORK/node.jsonl" '. as $echo | range(0; length) as $i | $echo[$i] as $e
    | $node[$i] as $n
    | "| \($e.transport) | \($e.inFlight) | \($e.throughput | round) | \($e.latencyMicros.p50) / \($e.latencyMicros.p99) | \($n.throughput | round) | \($n.latencyMicros.p50) / \($n.latencyMicros.p99) | \(($n.throughput / $e.throughput * 100 | round) / 100) | \($n.server.cpuPercent | round) | \($n.server.rssMiB | round) | \($n.timeouts + $n.errors) |"' \
    "$WORK/echo.jsonl"
fi
