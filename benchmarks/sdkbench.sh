#!/usr/bin/env bash
# SDK resolution against the load generator, same node, same keys, same run: a node holding 100,000 imported
# records (the load matrix's), then, $REPEAT times in turn, the load generator over persistent TCP and the SDK
# (SdkResolveProbe: HandleClient.resolve over persistent TCP) at $INFLIGHT requests in flight, each with
# $THREADS I/O thread and one connection. Writes JSON lines to $WORK/loadgen.jsonl and $WORK/sdk.jsonl and
# prints the median of each with their ratio (needs jq). Then, unless SKIP_CREATES is set, the creates table
# of SdkCreateProbe (a fresh node of its own). Needs the jars: mvn -B -q package -pl benchmarks -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
BENCH=benchmarks/target/benchmarks.jar
NODE=resolver-server/bin/idnode
WORK=${WORK:-/tmp/idnode-sdkbench}
PORT=${PORT:-2651}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
INFLIGHT=${INFLIGHT:-64}
THREADS=${THREADS:-1}
CALLBACKS=${CALLBACKS:-pool}
KEYS='88.100.1/P%08d:100000'

rm -rf "$WORK"
mkdir -p "$WORK"
java -jar "$LOADGEN" generate --pattern "$KEYS" --out "$WORK/records.jsonl"
"$NODE" import --data "$WORK/node" "$WORK/records.jsonl"
"$NODE" serve --data "$WORK/node" --port "$PORT" --threads "$THREADS" > "$WORK/node.log" 2>&1 &
NODE_PID=$!
trap 'kill "$NODE_PID" 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/node.log" 2>/dev/null && break; sleep 0.2; done

# An uncounted run first: JIT-compiled node, every record in the hot cache.
java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport tcp --in-flight 64 --pattern "$KEYS" \
  --distribution uniform --warmup 0 --duration 15 > /dev/null
for round in $(seq 1 "$REPEAT"); do
  java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport tcp --in-flight "$INFLIGHT" --threads "$THREADS" \
    --pattern "$KEYS" --distribution zipf --warmup "$WARMUP" --duration "$DURATION" --server-pid "$NODE_PID" \
    >> "$WORK/loadgen.jsonl"
  java -cp "$BENCH" io.idnode.bench.SdkResolveProbe --target "127.0.0.1:$PORT" --transport tcp \
    --in-flight "$INFLIGHT" --threads "$THREADS" --callbacks "$CALLBACKS" --pattern "$KEYS" --distribution zipf \
    --warmup "$WARMUP" --duration "$DURATION" 2> /dev/null | grep '^{' >> "$WORK/sdk.jsonl"
done
kill "$NODE_PID"
jq -rn --slurpfile g "$WORK/loadgen.jsonl" --slurpfile s "$WORK/sdk.jsonl" '
  def median: sort_by(.throughput) | .[length / 2 | floor];
  ($g | median) as $g | ($s | median) as $s
  | "| load generator, TCP, \($g.inFlight) in flight | \($g.throughput | round) | \($g.latencyMicros.p50) / \($g.latencyMicros.p99) |",
    "| SDK (\($s.callbacks) callbacks), TCP, \($s.inFlight) in flight | \($s.throughput | round) | \($s.latencyMicros.p50) / \($s.latencyMicros.p99) |",
    "| SDK / load generator | \((($s.throughput / $g.throughput) * 100 | round) / 100) | |"'
if [ -z "${SKIP_CREATES:-}" ]; then
  java -cp "$BENCH" io.idnode.bench.SdkCreateProbe --seconds "$DURATION" 2> /dev/null | grep -v ' INFO \| WARN '
fi
