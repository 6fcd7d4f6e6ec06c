#!/usr/bin/env bash
# The load matrix of benchmarks/README.md: UDP, persistent TCP and TCP per request at 1, 8, 64 and 256
# requests in flight, against the echo server (the machine's ceiling, port $PORT) and against a node holding
# 100,000 imported records (port $PORT+1). Both servers run side by side and every cell is measured against
# echo and then against the node, so that load from elsewhere on the machine hits both alike; the matrix is
# repeated $REPEAT times. Writes one JSON summary line per run to $WORK/echo.jsonl and $WORK/node.jsonl and an
# HTML report per run, then a Markdown table of the median run of each cell (needs jq; `loadtest.sh table`
# prints it again). Needs the jars: mvn -B -q package -pl benchmarks -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
NODE=resolver-server/bin/idnode   # the node with its default JVM options (resolver-server/bin/jvm.options)
WORK=${WORK:-/tmp/idnode-loadtest}
PORT=${PORT:-2641}
NODE_PORT=$((PORT + 1))
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-1}
THREADS=${THREADS:-1}          # I/O threads of each server and of the generator
KEYS='88.100.1/P%08d:100000'

table() {
  echo "| transport | in flight | echo replies/s | echo p50 / p99 µs | echo CPU µs/reply | node replies/s | node p50 / p99 µs | node CPU µs/reply | node/echo replies | node/echo CPU per reply | node CPU % | node RSS MiB | generator CPU % (echo / node) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  jq -rn --slurpfile echo "$WORK/echo.jsonl" --slurpfile node "$WORK/node.jsonl" '
    def order: {"udp": 0, "tcp": 1, "tcp-per-request": 2}[.transport] * 1000 + .inFlight;
    def median: group_by(order) | map(sort_by(.throughput) | .[length / 2 | floor]);
    def cpu(r): r.server.cpuPercent * 10000 / r.throughput;
    def r1(x): (x * 10 | round) / 10;
    ($echo | median) as $e | ($node | median) as $n | range(0; $e | length) as $i | $e[$i] as $e | $n[$i] as $n
    | "| \($e.transport) | \($e.inFlight) | \($e.throughput | round) | \($e.latencyMicros.p50) / \($e.latencyMicros.p99) | \(r1(cpu($e))) | \($n.throughput | round) | \($n.latencyMicros.p50) / \($n.latencyMicros.p99) | \(r1(cpu($n))) | \((($n.throughput / $e.throughput) * 100 | round) / 100) | \((cpu($n) / cpu($e) * 100 | round) / 100) | \($n.server.cpuPercent | round) | \($n.server.rssMiB | round) | \($e.client.cpuPercent | round) / \($n.client.cpuPercent | round) |"'
}

if [ "${1:-}" = table ]; then # only print the table of the last run in $WORK
  table
  exit 0
fi

rm -rf "$WORK"
mkdir -p "$WORK"
java -jar "$LOADGEN" generate --pattern "$KEYS" --out "$WORK/records.jsonl"
"$NODE" import --data "$WORK/node" "$WORK/records.jsonl"

await_log() { # waits until a server's log says it is listening
  for _ in $(seq 1 100); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "server did not start, see $1" >&2
  return 1
}

load() { # $1 = port, $2 = transport, $3 = in flight, $4 = server pid, $5 = warm-up s, $6 = duration s, $7 = report
  java -jar "$LOADGEN" run --target "127.0.0.1:$1" --transport "$2" --in-flight "$3" --threads "$THREADS" \
    --pattern "$KEYS" --distribution "${DISTRIBUTION:-zipf}" --warmup "$5" --duration "$6" --server-pid "$4" --html "$7"
}

java -jar "$LOADGEN" echo --port "$PORT" --threads "$THREADS" --reply-bytes 345 2> "$WORK/echo.log" &
ECHO=$!
IDNODE_JAVA_OPTS="${NODE_JAVA_OPTS:-}" "$NODE" serve --demo --data "$WORK/node" --port "$NODE_PORT" --threads "$THREADS" \
  > "$WORK/node.log" 2>&1 &
NODE_PID=$!   # the JVM's pid: the launcher execs java
trap 'kill "$ECHO" "$NODE_PID" 2> /dev/null || true' EXIT
await_log "$WORK/echo.log" "replies on"
await_log "$WORK/node.log" "listening on"

# An uncounted run against each first, so that every measured run meets JIT-compiled servers and, on the
# node, a hot cache holding every record (uniform keys: 15 s reach each of the 100,000 keys many times).
load "$PORT" udp 64 "$ECHO" 0 15 "$WORK/echo-prime.html" > /dev/null
DISTRIBUTION=uniform load "$NODE_PORT" udp 64 "$NODE_PID" 0 15 "$WORK/node-prime.html" > /dev/null

for round in $(seq 1 "$REPEAT"); do
  for transport in udp tcp tcp-per-request; do
    for inflight in 1 8 64 256; do
      load "$PORT" "$transport" "$inflight" "$ECHO" "$WARMUP" "$DURATION" \
        "$WORK/echo-$transport-$inflight-$round.html" >> "$WORK/echo.jsonl"
      load "$NODE_PORT" "$transport" "$inflight" "$NODE_PID" "$WARMUP" "$DURATION" \
        "$WORK/node-$transport-$inflight-$round.html" >> "$WORK/node.jsonl"
    done
  done
done
echo "results in $WORK/echo.jsonl and $WORK/node.jsonl"
if command -v jq > /dev/null; then
  table
fi
