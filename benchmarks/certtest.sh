#!/usr/bin/env bash
# Certified against unsigned UDP resolution of hot records, per node key type (benchmarks/README.md,
# "Certified replies"). For each type in $KEY_TYPES it imports 100,000 records into a fresh data folder,
# starts the node there with --key-type TYPE (the key is made at first start) and --threads $THREADS, primes
# its hot cache with an uncounted 15 s UDP run, then $REPEAT times runs unsigned and certified (CT) UDP at
# $IN_FLIGHT in flight back to back, so that both meet the same machine. Writes one JSON summary per run to
# $WORK/cert.jsonl (with "keyType" and "certified" added) and prints a Markdown table of the median round of
# each cell (needs jq; `certtest.sh table` prints it again).
# Needs the jars: mvn -B -q package -pl benchmarks -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
NODE=resolver-server/bin/idnode
WORK=${WORK:-/tmp/idnode-certtest}
PORT=${PORT:-2643}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-1}
IN_FLIGHT=${IN_FLIGHT:-64}
KEY_TYPES=${KEY_TYPES:-rsa dsa}
KEYS='88.100.1/P%08d:100000'

table() {
  echo "| node key | unsigned replies/s | certified replies/s | certified / unsigned | unsigned p50 / p99 µs | certified p50 / p99 µs | node CPU µs per unsigned / certified reply | signed replies (certified runs) | rounds (unsigned / certified replies/s) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  jq -rn --slurpfile runs "$WORK/cert.jsonl" '
    def cpu(r): r.server.cpuPercent * 10000 / r.throughput;
    def r1(x): (x * 10 | round) / 10;
    def median: sort_by(.throughput) | .[length / 2 | floor];
    $runs | group_by(.keyType)[] as $k
    | ($k | map(select(.certified | not))) as $u | ($k | map(select(.certified))) as $c
    | ($u | median) as $um | ($c | median) as $cm
    | "| \($k[0].keyType) | \($um.throughput | round) | \($cm.throughput | round) | \((($cm.throughput / $um.throughput) * 1000 | round) / 1000) | \($um.latencyMicros.p50) / \($um.latencyMicros.p99) | \($cm.latencyMicros.p50) / \($cm.latencyMicros.p99) | \(r1(cpu($um))) / \(r1(cpu($cm))) | \($c | map(.signed) | add) of \($c | map(.received) | add) | \([range(0; $u | length) as $i | "\($u[$i].throughput | round) / \($c[$i].throughput | round)"] | join(" · ")) |"'
}

if [ "${1:-}" = table ]; then
  table
  exit 0
fi

rm -rf "$WORK"
mkdir -p "$WORK"
java -jar "$LOADGEN" generate --pattern "$KEYS" --out "$WORK/records.jsonl"

await_log() {
  for _ in $(seq 1 150); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "server did not start, see $1" >&2
  return 1
}

load() { # $1 = key type, $2 = certified (true/false), $3 = warm-up s, $4 = duration s, $5 = distribution
  local flag=""
  [ "$2" = true ] && flag="--certified"
  java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport udp --in-flight "$IN_FLIGHT" --threads "$THREADS" \
    --pattern "$KEYS" --distribution "$5" --warmup "$3" --duration "$4" --server-pid "$NODE_PID" $flag \
    | jq -c --arg k "$1" --argjson c "$2" '. + {keyType: $k, certified: $c}'
}

NODE_PID=
trap '[ -n "$NODE_PID" ] && kill "$NODE_PID" 2> /dev/null || true' EXIT
for type in $KEY_TYPES; do
  "$NODE" import --data "$WORK/node-$type" "$WORK/records.jsonl"
  IDNODE_JAVA_OPTS="${NODE_JAVA_OPTS:-}" "$NODE" serve --data "$WORK/node-$type" --port "$PORT" --threads "$THREADS" \
    --key-type "$type" > "$WORK/node-$type.log" 2>&1 &
  NODE_PID=$!
  await_log "$WORK/node-$type.log" "listening on"
  load "$type" false 0 15 uniform > /dev/null   # JIT and a hot cache holding every record
  load "$type" true 0 5 zipf > /dev/null        # the signing path compiled too
  for round in $(seq 1 "$REPEAT"); do
    load "$type" false "$WARMUP" "$DURATION" zipf >> "$WORK/cert.jsonl"
    load "$type" true "$WARMUP" "$DURATION" zipf >> "$WORK/cert.jsonl"
  done
  kill "$NODE_PID"
  wait "$NODE_PID" 2> /dev/null || true
  NODE_PID=
done
echo "results in $WORK/cert.jsonl"
table
