#!/usr/bin/env bash
# The 10-million-record figures of benchmarks/README.md: the offline import rate, UDP resolution with
# uniform keys over all records (cold: the hot cache holds 1 % of them, nearly every request reads
# RocksDB), the same node answering Zipf keys over its first 100,000 records once they are all cached
# (hot), and the node's resident memory throughout. Every figure is measured $REPEAT times; the summary
# gives the median. The node runs with its default settings (resolver-server/bin/idnode). Writes
# $WORK/import.txt, $WORK/cold.jsonl, $WORK/hot.jsonl and $WORK/rss.txt. Needs jq and the jars:
# mvn -B -q package -pl benchmarks -am -DskipTests (and resolver-server for the node).
set -euo pipefail
cd "$(dirname "$0")/.."
LOADGEN=benchmarks/target/loadgen.jar
NODE_CMD=resolver-server/bin/idnode
WORK=${WORK:-/tmp/idnode-coldtest}
COUNT=${COUNT:-10000000}
PORT=${PORT:-2661}
REPEAT=${REPEAT:-3}
DURATION=${DURATION:-15}
ALL="88.100.1/P%08d:$COUNT"
HOT="88.100.1/P%08d:100000"

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

mkdir -p "$WORK"
if [ ! -s "$WORK/records.jsonl" ]; then
  java -jar "$LOADGEN" generate --pattern "$ALL" --out "$WORK/records.jsonl"
fi

: > "$WORK/import.txt"
for round in $(seq 1 "$REPEAT"); do
  rm -rf "$WORK/node"
  "$NODE_CMD" import --data "$WORK/node" "$WORK/records.jsonl" | tee -a "$WORK/import.txt"
done

"$NODE_CMD" serve --data "$WORK/node" --port "$PORT" --threads 1 > "$WORK/node.log" 2>&1 &
NODE=$!
trap 'kill "$NODE" 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$WORK/node.log" && break
  sleep 0.2
done

run() { # $1 = keys, $2 = distribution, $3 = warm-up s, $4 = duration s
  java -jar "$LOADGEN" run --target "127.0.0.1:$PORT" --transport udp --in-flight 64 --threads 1 \
    --pattern "$1" --distribution "$2" --warmup "$3" --duration "$4" --server-pid "$NODE"
}
rss() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2 / 1024}' "/proc/$NODE/status"; echo; }

: > "$WORK/cold.jsonl"
: > "$WORK/hot.jsonl"
echo "after start: $(rss)" > "$WORK/rss.txt"
for round in $(seq 1 "$REPEAT"); do
  run "$ALL" uniform 3 "$DURATION" >> "$WORK/cold.jsonl"
  echo "after cold run $round: $(rss)" >> "$WORK/rss.txt"
done
run "$HOT" uniform 0 15 > /dev/null # caches every one of the 100,000 hot records
for round in $(seq 1 "$REPEAT"); do
  run "$HOT" zipf 3 "$DURATION" >> "$WORK/hot.jsonl"
  echo "after hot run $round: $(rss)" >> "$WORK/rss.txt"
done

echo
echo "import records/s (median of $REPEAT): $(sed -n 's/.*(\([0-9]*\) records\/s).*/\1/p' "$WORK/import.txt" | median)"
cold=$(jq -r '.throughput | round' "$WORK/cold.jsonl" | median)
hot=$(jq -r '.throughput | round' "$WORK/hot.jsonl" | median)
echo "cold UDP replies/s (median): $cold; hot: $hot; cold/hot: $(awk -v c="$cold" -v h="$hot" 'BEGIN {printf "%.2f", c / h}')"
echo "cold p50/p99 µs per run: $(jq -r '"\(.latencyMicros.p50)/\(.latencyMicros.p99)"' "$WORK/cold.jsonl" | tr '\n' ' ')"
echo "server RSS MiB per run (cold, then hot): $(jq -r '.server.rssMiB | round' "$WORK/cold.jsonl" "$WORK/hot.jsonl" | tr '\n' ' ')"
cat "$WORK/rss.txt"
