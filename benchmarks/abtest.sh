#!/usr/bin/env bash
# A/B of two builds of the node on this machine: the node of another checkout ($1, built with
# `mvn -B -q -DskipTests package`) against this checkout's, each with the same 100,000 imported records,
# running side by side and measured cell by cell in turn with one and the same load generator (the other
# checkout's loadgen.jar unless $LOADGEN says otherwise), so that the instrument and the machine's load are
# the same for both. Cells: $CELLS ("transport:in-flight", default UDP and persistent TCP at 64 in flight),
# repeated $REPEAT times; $NEW_OPTS are extra options for this checkout's node (e.g. settings the other lacks).
# Writes $WORK/base.jsonl and $WORK/new.jsonl and prints a Markdown table of the
# median run of each cell (needs jq; `abtest.sh table` prints it again).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-/tmp/idnode-abtest}
PORT=${PORT:-2651}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-1}
THREADS=${THREADS:-1}
CELLS=${CELLS:-"udp:64 tcp:64"}
KEYS='88.100.1/P%08d:100000'

table() {
  echo "| transport | in flight | base replies/s | base p50 / p99 µs | base CPU µs/reply | new replies/s | new p50 / p99 µs | new CPU µs/reply | new/base replies | new/base CPU per reply |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  jq -rn --slurpfile base "$WORK/base.jsonl" --slurpfile new "$WORK/new.jsonl" '
    def order: {"udp": 0, "tcp": 1, "tcp-per-request": 2}[.transport] * 1000 + .inFlight;
    def median: group_by(order) | map(sort_by(.throughput) | .[length / 2 | floor]);
    def cpu(r): r.server.cpuPercent * 10000 / r.throughput;
    def r2(x): (x * 100 | round) / 100;
    ($base | median) as $b | ($new | median) as $n | range(0; $b | length) as $i | $b[$i] as $b | $n[$i] as $n
    | "| \($b.transport) | \($b.inFlight) | \($b.throughput | round) | \($b.latencyMicros.p50) / \($b.latencyMicros.p99) | \(r2(cpu($b))) | \($n.throughput | round) | \($n.latencyMicros.p50) / \($n.latencyMicros.p99) | \(r2(cpu($n))) | \(r2($n.throughput / $b.throughput)) | \(r2(cpu($n) / cpu($b))) |"'
}

if [ "${1:-}" = table ]; then
  table
  exit 0
fi
BASE=$(cd "${1:?usage: abtest.sh OTHER_CHECKOUT | table}" && pwd)
LOADGEN=${LOADGEN:-$BASE/benchmarks/target/loadgen.jar}

rm -rf "$WORK"
mkdir -p "$WORK"
java -jar "$LOADGEN" generate --pattern "$KEYS" --out "$WORK/records.jsonl"
"$BASE/resolver-server/bin/idnode" import --data "$WORK/base" "$WORK/records.jsonl"
resolver-server/bin/idnode import --data "$WORK/new" "$WORK/records.jsonl"

await_log() { # waits until a node's log says it is listening
  for _ in $(seq 1 100); do
    grep -q "listening on" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "node did not start, see $1" >&2
  return 1
}

load() { # $1 = port, $2 = transport, $3 = in flight, $4 = node pid, $5 = warm-up s, $6 = duration s, $7 = distribution
  java -jar "$LOADGEN" run --target "127.0.0.1:$1" --transport "$2" --in-flight "$3" --threads "$THREADS" \
    --pattern "$KEYS" --distribution "$7" --warmup "$5" --duration "$6" --server-pid "$4"
}

"$BASE/resolver-server/bin/idnode" serve --data "$WORK/base" --port "$PORT" --threads "$THREADS" > "$WORK/base.log" 2>&1 &
BASE_PID=$!
# shellcheck disable=SC2086 # NEW_OPTS is a list of options
resolver-server/bin/idnode serve --data "$WORK/new" --port "$((PORT + 1))" --threads "$THREADS" ${NEW_OPTS:-} > "$WORK/new.log" 2>&1 &
NEW_PID=$!
trap 'kill "$BASE_PID" "$NEW_PID" 2> /dev/null || true' EXIT
await_log "$WORK/base.log"
await_log "$WORK/new.log"

# Uncounted runs first: JIT-compiled nodes whose hot caches hold every record.
load "$PORT" udp 64 "$BASE_PID" 0 15 uniform > /dev/null
load "$((PORT + 1))" udp 64 "$NEW_PID" 0 15 uniform > /dev/null

for round in $(seq 1 "$REPEAT"); do
  for cell in $CELLS; do
    load "$PORT" "${cell%%:*}" "${cell##*:}" "$BASE_PID" "$WARMUP" "$DURATION" zipf >> "$WORK/base.jsonl"
    load "$((PORT + 1))" "${cell%%:*}" "${cell##*:}" "$NEW_PID" "$WARMUP" "$DURATION" zipf >> "$WORK/new.jsonl"
  done
done
table
