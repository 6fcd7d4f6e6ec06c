#!/usr/bin/env bash
# The load matrix of benchmarks/README.md: UDP, persistent TCP and TCP per request at 1, 8, 64 and 256
# requests in flight, against the echo server (the machine's ceiling) and against a node holding 100,000
# imported records. Writes one JSON summary line per run to $WORK/echo.jsonl and $WORK/node.jsonl and an
# HTML report per run, then a Markdown table (needs jq; `loadtest.sh table` prints it again). Needs the jars: mvn -o -B -q package -pl benchmarks -am -DskipTests
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

table() {
  echo "| transport | in flight | echo replies/s | echo p50 / p99 µs | echo CPU µs/reply | node replies/s | node p50 / p99 µs | node CPU µs/reply | node/echo replies | node/echo CPU per reply | node CPU % | node RSS MiB | generator CPU % (echo / node) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  jq -rs --slurpfile node "$WORK/node.jsonl" 'def cpu(r): r.server.cpuPercent * 10000 / r.throughput;
    def r1(x): (x * 10 | round) / 10;
    . as $echo | range(0; length) as $i | $echo[$i] as $e | $node[$i] as $n
    | "| \($e.transport) | \($e.inFlight) | \($e.throughput | round) | \($e.latencyMicros.p50) / \($e.latencyMicros.p99) | \(r1(cpu($e))) | \($n.throughput | round) | \($n.latencyMicros.p50) / \($n.latencyMicros.p99) | \(r1(cpu($n))) | \((($n.throughput / $e.throughput) * 100 | round) / 100) | \((cpu($n) / cpu($e) * 100 | round) / 100) | \($n.server.cpuPercent | round) | \($n.server.rssMiB | round) | \($e.client.cpuPercent | round) / \($n.client.cpuPercent | round) |"' \
    "$WORK/echo.jsonl"
}

if [ "${1:-}" = table ]; then # only print the table of the last run in $WORK
  table
  exit 0
fi

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
  # An uncounted run first, so that every measured run meets a JIT-compiled server with a warm cache.
  java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport udp --in-flight 64 --threads "$THREADS" \
    --pattern "$KEYS" --distribution zipf --warmup 0 --duration 15 > /dev/null
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
table
