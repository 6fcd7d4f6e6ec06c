#!/usr/bin/env bash
# Certified against unsigned UDP resolution of hot records, per node key type (benchmarks/README.md,
# "Certified replies"). For each type in $KEY_TYPES it imports 100,000 records into a fresh data folder,
# starts the node there with --key-type TYPE (the key is made at first start) and --threads $THREADS, primes
# its hot cache with an uncounted 15 s UDP run, then $REPEAT times runs, back to back so that all three meet
# the same machine, UDP at $IN_FLIGHT in flight: unsigned; certified (CT) inside sessions (loadgen --session:
# one session per I/O thread, every reply MAC-signed and its MAC checked); certified outside a session (every
# reply signed with the node key). Writes one JSON summary per run to $WORK/cert.jsonl (with "keyType" and
# "mode" added: unsigned, session, signature) and prints a Markdown table of the median round of each cell
# (needs jq; `certtest.sh table` prints it again).
# Needs the jars: mvn -B -q package -pl benchmarks -am -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=${LOADGEN:-benchmarks/target/loadgen.jar}
NODE=${NODE:-resolver-server/bin/idnode}  # another checkout's node for an A/B of the same modes
WORK=${WORK:-/tmp/idnode-certtest}
PORT=${PORT:-2643}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-10}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-1}
IN_FLIGHT=${IN_FLIGHT:-64}
KEY_TYPES=${KEY_TYPES:-rsa dsa}
MODES=${MODES:-unsigned session signature}
KEYS='88.100.1/P%08d:100000'

table() {
  echo "| node key | mode | replies/s | / unsigned | p50 / p99 µs | node CPU µs per reply | signed (verified in sessions) of received | rounds: replies/s (/ unsigned of the same round) |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  jq -rn --slurpfile runs "$WORK/cert.jsonl" '
    def cpu(r): r.server.cpuPercent * 10000 / r.throughput;
    def r1(x): (x * 10 | round) / 10;
    def median: sort_by(.throughput) | .[length / 2 | floor];
    $runs | group_by(.keyType)[] as $k
    | ($k | map(select(.mode == "unsigned"))) as $u | ($u | median) as $um
    | ("unsigned", "session", "signature") as $mode
    | ($k | map(select(.mode == $mode))) as $m | select($m | length > 0) | ($m | median) as $mm
    | "| \($k[0].keyType) | \($mode) | \($mm.throughput | round) | \((($mm.throughput / $um.throughput) * 1000 | round) / 1000) | \($mm.latencyMicros.p50) / \($mm.latencyMicros.p99) | \(r1(cpu($mm))) | \($m | map(.signed) | add) of \($m | map(.received) | add) | \([range(0; $m | length) as $i | "\($m[$i].throughput | round) (\((($m[$i].throughput / $u[$i].throughput) * 100 | round) / 100))"] | join(" · ")) |"'
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

load() { # $1 = key type, $2 = mode (unsigned, session, signature), $3 = warm-up s, $4 = duration s, $5 = distribution
  local flags=""
  case "$2" in
    session) flags="--certified --session" ;;
    signature) flags="--certified" ;;
  esac
  java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport udp --in-flight "$IN_FLIGHT" --threads "$THREADS" \
    --pattern "$KEYS" --distribution "$5" --warmup "$3" --duration "$4" --server-pid "$NODE_PID" $flags \
    | jq -c --arg k "$1" --arg m "$2" '. + {keyType: $k, mode: $m}'
}

NODE_PID=
trap '[ -n "$NODE_PID" ] && kill "$NODE_PID" 2> /dev/null || true' EXIT
for type in $KEY_TYPES; do
  "$NODE" import --data "$WORK/node-$type" "$WORK/records.jsonl"
  IDNODE_JAVA_OPTS="${NODE_JAVA_OPTS:-}" "$NODE" serve --data "$WORK/node-$type" --port "$PORT" --threads "$THREADS" \
    --key-type "$type" --http-port 0 > "$WORK/node-$type.log" 2>&1 &
  NODE_PID=$!
  await_log "$WORK/node-$type.log" "listening on"
  load "$type" unsigned 0 15 uniform > /dev/null   # JIT and a hot cache holding every record
  load "$type" session 0 5 zipf > /dev/null         # the session path compiled too
  load "$type" signature 0 5 zipf > /dev/null       # and the signing path
  for round in $(seq 1 "$REPEAT"); do
    for mode in $MODES; do
      load "$type" "$mode" "$WARMUP" "$DURATION" zipf >> "$WORK/cert.jsonl"
    done
  done
  kill "$NODE_PID"
  wait "$NODE_PID" 2> /dev/null || true
  NODE_PID=
done
echo "results in $WORK/cert.jsonl"
table
